"""An aiosmtpd handler that saves each message exactly as it arrived.

backend/mail's independent-server test runs Debian's aiosmtpd with it, so
Python's email parser reads the bytes Onramp sent rather than a copy that
aiosmtpd's own Mailbox handler parsed and wrote out again.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c rawsave.RawSave FOLDER
"""

import json
import os


class RawSave:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("RawSave needs the folder to save messages in")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        with open(base + ".envelope.json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos}, f)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

"""Reads one message with Python's standard email parser
(policy=email.policy.default) and prints, as JSON, what backend/mail's
independent-server test compares with what it sent.

    python3 readmail.py MESSAGE.eml
"""

import email
import email.policy
import hashlib
import json
import sys


def addresses(header):
    return [{"name": a.display_name, "email": a.addr_spec} for a in header.addresses]


with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)

defects = [str(d) for part in msg.walk() for d in part.defects]
for name in ("Subject", "From", "To", "Message-ID", "Date"):
    defects += ["%s: %s" % (name, d) for d in msg[name].defects]

attachments = []
for part in msg.iter_attachments():
    data = part.get_content()
    attachments.append({
        "filename": part.get_filename(),
        "type": part.get_content_type(),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    })

json.dump({
    "subject": str(msg["Subject"]),
    "messageId": str(msg["Message-ID"]),
    "from": addresses(msg["From"]),
    "to": addresses(msg["To"]),
    "text": msg.get_body(preferencelist=("plain",)).get_content(),
    "attachments": attachments,
    "defects": defects,
}, sys.stdout, ensure_ascii=False)

/** The window's title for each screen, so a screen reader (and the task bar) says where the provider is. */
export function screenTitle(state: string | undefined, view: string, formTitle?: string): string {
  const name = ((): string => {
    switch (state) {
      case undefined:
        return 'Opening';
      case 'recovery':
        return 'Recover your data';
      case 'setup':
        return view === 'settings' ? 'Settings' : view === 'packet-open' ? 'Open a support packet' : 'Set up';
    }
    switch (view) {
      case 'training':
        return 'Insurance training';
      case 'form':
        return formTitle || 'Form';
      case 'portal':
        return 'Portal password';
      case 'packet-export':
        return 'Export the support packet';
      case 'packet-open':
        return 'Open a support packet';
      case 'settings':
        return 'Settings';
      case 'directories':
        return 'Insurance & Directories';
    }
    return 'Dashboard';
  })();
  return `${name} · Onramp`;
}

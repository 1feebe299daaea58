// Focus for a screen's first field. The `autofocus` attribute is not enough
// here: Svelte only honours it while nothing has focus, and the shell moves
// focus to <main> on every new screen, so a field that appears after its data
// loaded (the home-visit outcomes) or in the same update never got it; nor did
// the passphrase field after a lock, while focus was still on the hidden shell.

/** Attachment (`{@attach focusFirst}`): focuses the element as soon as it is in the page. */
export function focusFirst(element: HTMLElement): void {
  element.focus();
}

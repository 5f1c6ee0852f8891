/**
 * A touch screen as the main pointer: there, focusing a text field raises the on-screen
 * keyboard over what the person came to read, so the panel does not do it for them.
 */
export function coarsePointer(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}

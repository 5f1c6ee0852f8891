// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Linkified } from '../src/Linkified.js';

describe('Linkified message text', () => {
  let container: HTMLElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    render(null, container);
    container.remove();
  });

  it('never renders message text as HTML', () => {
    render(<Linkified text={'<img src=x onerror="alert(1)"> <b>bold</b>'} />, container);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror="alert(1)"> <b>bold</b>');
  });

  it('links http(s) URLs safely and leaves other schemes as text', () => {
    render(<Linkified text="See https://example.com/a?b=1. Not javascript:alert(1) or data:text/html,x" />, container);
    const links = container.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
    expect(container.textContent).toBe('See https://example.com/a?b=1. Not javascript:alert(1) or data:text/html,x');
  });
});

import { expect, it } from 'vitest';
import { refererFor } from './http-request';

it("sends a page's Referer as a browser does by default: whole on its origin, its origin elsewhere, none to http", () => {
  const page = 'https://ann:pw@shop.example/orders/1234?token=abc#top';
  expect(refererFor(page, new URL('https://shop.example/invoice.pdf'))).toBe(
    'https://shop.example/orders/1234?token=abc',
  );
  expect(refererFor(page, new URL('https://cdn.example/invoice.pdf'))).toBe('https://shop.example/');
  expect(refererFor(page, new URL('https://shop.example:8443/invoice.pdf'))).toBe('https://shop.example/');
  expect(refererFor(page, new URL('http://shop.example/invoice.pdf'))).toBeUndefined();
  expect(refererFor('http://blog.example/post', new URL('https://cdn.example/a.zip'))).toBe('http://blog.example/');
  for (const odd of ['not a url', 'file:///home/ann/page.html', 'javascript:alert(1)', '']) {
    expect(refererFor(odd, new URL('https://cdn.example/a.zip'))).toBeUndefined();
  }
});

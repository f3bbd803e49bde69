import { annotationValueProblem, exactOriginRegex } from '../../src/ingress/safety';

describe('the exact-origin regex is the one annotation value allowed ^ \\ and $, and only in its shape', () => {
  test.each<[string, string | undefined]>([
    ['https://app.example.com', '^https://app\\.example\\.com$'],
    ['http://app.example.com:8080', '^http://app\\.example\\.com:8080$'],
    ['https://localhost', '^https://localhost$'],
    ['*', undefined],
    ['https://*.example.com', undefined],
    ['https://app.example.com/path', undefined],
    ['https://app.example.com$|.*', undefined],
    ['https://APP.example.com', undefined],
  ])('%s becomes %s', (origin, expected) => {
    expect(exactOriginRegex(origin)).toBe(expected);
  });

  test('what exactOriginRegex builds passes the check', () => {
    expect(annotationValueProblem(exactOriginRegex('https://app.example.com')!, 'exact-origin-regex')).toBeUndefined();
  });

  const SHAPE = 'it is not an anchored regular expression for exactly one origin, such as ^https://app\\.example\\.com$';
  test.each<[string, string]>([
    ['an unescaped dot', '^https://app.example.com$'],
    ['no leading anchor', 'https://app\\.example\\.com$'],
    ['no trailing anchor', '^https://app\\.example\\.com'],
    ['an alternation', '^https://a\\.com$|^https://b\\.com$'],
    ['a wildcard', '^https://.*\\.example\\.com$'],
    ['a character class', '^https://[a-z]+\\.example\\.com$'],
    ['a quote', '^https://app\\.example\\.com$"'],
    ['a semicolon', '^https://app\\.example\\.com$;'],
    ['a line break', '^https://app\\.example\\.com$\n'],
    ['a path', '^https://app\\.example\\.com/x$'],
    ['an escaped backslash', '^https://app\\\\\\.example\\.com$'],
  ])('%s is refused', (_name, value) => {
    expect(annotationValueProblem(value, 'exact-origin-regex')).toBe(SHAPE);
  });

  test('without the allowance, the same value is refused for its $ and \\', () => {
    expect(annotationValueProblem('^https://app\\.example\\.com$')).toBe(
      'it contains "\\"; annotation values must not contain ; { } \' " $ # ` \\ or line breaks, which controllers copy into their configuration');
  });
});

import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue, optionalStringMap, requireArray, requireInstance, requireProps, requireString } from '../../src/core/guards';
import { Port } from '../../src/core/port';

describe('describeValue says what was passed, in the words of a message', () => {
  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'not set'],
    ['null', null, 'null'],
    ['NaN', Number.NaN, 'NaN'],
    ['a number', 42, 'the number 42'],
    ['a string', '8080', 'the string "8080"'],
    ['a long string, cut', 'x'.repeat(50), `the string "${'x'.repeat(40)}..."`],
    ['a boolean', false, 'false'],
    ['a list', ['a'], 'a list'],
    ['a plain object', { a: 1 }, 'an object'],
    ['an instance, by class', Port.tcp(80), 'a Port'],
    ['an instance whose class starts with a vowel', new (class IngressThing {})(), 'an IngressThing'],
    ['a function', () => 1, 'a function'],
  ])('%s', (_d, value, expected) => expect(describeValue(value)).toBe(expected));
});

describe('guards throw from a construct path or a call', () => {
  const scope = () => new Construct(Testing.chart(), 'Thing');

  test('a construct: the path starts the message', () => {
    expect(() => requireString(scope(), 'Thing.name', 42, "give a name such as 'a'")).toThrow(/^test\/Thing: Thing\.name is the number 42; give a name such as 'a'\.$/);
  });

  test('a call: the call starts the message', () => {
    expect(() => requireInstance('Thing.of(80)', 'port', 80, Port, 'give a Port')).toThrow(/^Thing\.of\(80\): port is the number 80; give a Port\.$/);
  });

  test('list items are named by index, map entries by key', () => {
    expect(() => requireArray('f', 'list', ['a', 1], 'give a list', (item, f) => requireString('f', f, item, 'give a string')))
      .toThrow('f: list[1] is the number 1; give a string.');
    expect(() => optionalStringMap('f', 'labels', { 'app.kubernetes.io/tier': null }, 'give a map', 'give a string'))
      .toThrow('f: labels["app.kubernetes.io/tier"] is null; give a string.');
  });

  test('props may be left out only when every prop is optional', () => {
    expect(() => requireProps(scope(), 'Thing', undefined, 'give ThingProps')).toThrow('test/Thing: Thing props are not set; give ThingProps.');
    expect(() => requireProps(scope(), 'Thing', undefined, 'give ThingProps', true)).not.toThrow();
    expect(() => requireProps(scope(), 'Thing', null, 'give ThingProps', true)).toThrow('test/Thing: Thing props are null; give ThingProps.');
  });
});

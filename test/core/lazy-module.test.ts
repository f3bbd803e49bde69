/*
 * Issue 16 (synth cost): every `cdk8s synth` pays the library's load, so what most apps never use
 * loads on first use: the generated CRD classes of src/imports and the YAML parsers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lazyModule } from '../../src/core/lazy-module';

const IMPORTS = path.join(__dirname, '..', '..', 'src', 'imports');

test('loading the library loads no generated CRD class and no YAML parser', () => {
  const files = fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(10);
  jest.isolateModules(() => {
    for (const file of files) {
      jest.doMock(path.join(IMPORTS, file.replace(/\.ts$/, '')), () => {
        throw new Error(`src/imports/${file} was loaded with the library`);
      });
    }
    for (const parser of ['yaml', 'js-yaml']) {
      jest.doMock(parser, () => {
        throw new Error(`${parser} was loaded with the library`);
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => require('../../src')).not.toThrow();
  });
});

test('lazyModule loads the module on the first use of one of its values, once', () => {
  class Route {
    public constructor(public readonly name: string) {}
  }
  const load = jest.fn(() => ({ Route, Kind: { HTTP: 'HTTP' } }));
  const mod = lazyModule(load);
  expect(load).not.toHaveBeenCalled();
  const route = new mod.Route('shop');
  expect(route).toBeInstanceOf(Route);
  expect(route.name).toBe('shop');
  expect(mod.Kind.HTTP).toBe('HTTP');
  expect(load).toHaveBeenCalledTimes(1);
});

test('a module loaded on first use fails where it is used, with the loader\'s error', () => {
  const mod = lazyModule((): { value: number } => {
    throw new Error('Cannot find module');
  });
  expect(() => mod.value).toThrow('Cannot find module');
});

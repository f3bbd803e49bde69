export * from './options';
export * from './mesh';

export * from './app-validation';
export * from './plugin';

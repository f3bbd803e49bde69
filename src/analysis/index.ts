export * from './connection-set';
export * from './network-analysis';
export * from './verdict';

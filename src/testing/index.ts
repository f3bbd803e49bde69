export * from './expect-connection';
export * from './manifests';
export * from './route-table';

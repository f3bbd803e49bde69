export * from './expect-connection';
export * from './manifests';

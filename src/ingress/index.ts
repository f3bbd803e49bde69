export * from './controllers/profile';
export * from './ingress-backend';
export * from './ingress-class';
export * from './ingress-options';
export * from './tls-certificate';
export * from './tls-gateway';
export * from './tls-ingress';

export {
  type AppModuleRef,
  appConfigFile,
  checkHostedApp,
  findAppModule,
  InvalidAppModule,
  loadAppFactory,
  NoAppConfigured,
} from './app-module.ts';
export { DevHostConfig, type DevHostConfigInput, devHostConfigFromEnv } from './config.ts';
export type {
  ConsumerPartitionStatus,
  ConsumerStatus,
  DashboardSources,
  DashboardStatus,
  LeaseStatus,
  ProblemStream,
  ProcessorHealth,
  ProcessorStatus,
  PublisherHealth,
  QueryPage,
  StreamPage,
  StreamStep,
  StreamView,
} from './dashboard-model.ts';
export { describeDevHost } from './describe.ts';
export { PortInUse, UnknownProcessor } from './errors.ts';
export { type DevHost, type DevHostOptions, startDevHost } from './host.ts';
export type {
  HostedApp,
  HostedAppContext,
  HostedAppFactory,
  HostedHttpAnswer,
  HostedHttpRequest,
} from './hosted-app.ts';
export { type HostedConsumer, type HostedConsumerDefinition, hostedConsumer } from './hosted-consumers.ts';
export type { HostedProcessor, HostedProcessorDefinition } from './hosted-processors.ts';
export { hostedProjection } from './hosted-projection.ts';
export { openHostedApp } from './tool-app.ts';

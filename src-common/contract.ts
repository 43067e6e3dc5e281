/**
 * The one declaration of every command, event and shape that crosses a process or
 * network boundary, split by concern. Main's handlers, the preload bridge, the HTTP
 * routes and the renderer's client all derive their types from here; nothing is
 * declared twice. This folder is the bottom layer: it imports nothing but zod.
 */
export * from './errors';
export * from './settings';
export * from './job-base';
export * from './jobs';
export * from './download-list';
export * from './names';
export * from './url-lines';
export * from './status-labels';
export * from './job-types';
export * from './tasks';
export * from './library';
export * from './plugins';
export * from './commands';
export * from './bridge';

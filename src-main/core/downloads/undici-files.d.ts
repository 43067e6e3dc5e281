/**
 * Types of the undici files undici-parts.ts loads one by one: each exports its class,
 * function or object as `module.exports`, typed here as undici's index types it.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent as AgentType } from 'undici';
  const Agent: typeof AgentType;
  export = Agent;
}
declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import type { ProxyAgent as ProxyAgentType } from 'undici';
  const ProxyAgent: typeof ProxyAgentType;
  export = ProxyAgent;
}
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';
  const EnvHttpProxyAgent: typeof EnvHttpProxyAgentType;
  export = EnvHttpProxyAgent;
}
declare module 'undici/lib/core/connect.js' {
  import type { buildConnector as buildConnectorType } from 'undici';
  const buildConnector: typeof buildConnectorType;
  export = buildConnector;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  import type { Dispatcher as DispatcherType } from 'undici';
  const Dispatcher: typeof DispatcherType;
  export = Dispatcher;
}
declare module 'undici/lib/api/index.js' {
  import type { Dispatcher } from 'undici';
  const api: Pick<Dispatcher, 'request' | 'stream' | 'pipeline' | 'upgrade' | 'connect'>;
  export = api;
}

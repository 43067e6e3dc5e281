import { useStore } from '../store/instance';

export function AboutView() {
  const info = useStore((s) => s.info);
  const error = useStore((s) => s.infoError);
  const transport = useStore((s) => s.client.transport);

  return (
    <section className="view" aria-labelledby="about-title">
      <h1 id="about-title">About Haul</h1>
      <p className="lead">A download manager with a live job center.</p>
      {error && (
        <p role="alert" className="error">
          Could not load app info: {error.message}
        </p>
      )}
      {!info && !error && <p className="muted">Loading…</p>}
      {info && (
        <dl className="facts" data-testid="app-info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>Running as</dt>
          <dd data-testid="app-runtime">{info.runtime === 'electron' ? 'Desktop app' : 'Headless server'}</dd>
          <dt>Connected through</dt>
          <dd>{transport === 'ipc' ? 'IPC bridge' : 'Local HTTP API'}</dd>
          <dt>Platform</dt>
          <dd data-testid="app-platform">{info.platform}</dd>
          <dt>Data folder</dt>
          <dd className="path" data-testid="app-data-dir">
            {info.dataDir}
          </dd>
          <dt>Download folder</dt>
          <dd className="path">{info.downloadDir}</dd>
          <dt>Database schema</dt>
          <dd>v{info.schemaVersion}</dd>
        </dl>
      )}
    </section>
  );
}

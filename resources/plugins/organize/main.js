// Organize: on download.completed, moves the file into a folder by kind. The map is a
// setting (one line per folder), read at each download so edits apply at once.

function parseMap(text) {
  const folders = [];
  for (const raw of String(text || '').split('\n')) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (line === '' || line.startsWith('#') || colon <= 0) continue;
    const folder = line
      .slice(0, colon)
      .trim()
      .replace(/[\\/]+/g, '-');
    const words = line
      .slice(colon + 1)
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    folders.push({
      folder,
      extensions: words.filter((w) => !w.includes('/')).map((w) => w.replace(/^\./, '')),
      types: words.filter((w) => w.includes('/')),
    });
  }
  return folders;
}

function typeMatches(pattern, type) {
  return pattern.endsWith('/*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

export function folderFor(map, name, contentType) {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const byExt = ext && map.find((entry) => entry.extensions.includes(ext));
  if (byExt) return byExt.folder;
  const type = String(contentType || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const byType = type && map.find((entry) => entry.types.some((pattern) => typeMatches(pattern, type)));
  return byType ? byType.folder : null;
}

function parentOf(path) {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

export function activate(haul) {
  haul.on('download.completed', async ({ resource }) => {
    const settings = haul.settings.get();
    const folder = folderFor(parseMap(settings.map), resource.name, resource.contentType);
    if (!folder) return;
    if (settings.onlyTopLevel && parentOf(resource.path) !== haul.files.downloadDir) {
      haul.log(`left ${resource.name} in ${parentOf(resource.path)}: not the download folder`);
      return;
    }
    const moved = await haul.files.move(resource.id, folder + '/');
    haul.log(`moved ${resource.name} to ${moved.path}`);
  });
}

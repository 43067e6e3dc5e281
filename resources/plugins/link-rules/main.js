// Link rules: a resolver driven by the user's rules. Rules are re-read whenever the
// settings change, so an edit applies to the next URL without a reload.

export function parseRules(text, warn) {
  const rules = [];
  String(text || '')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const [rule, ...headerParts] = line.split('||');
      const arrow = rule.indexOf('=>');
      if (arrow <= 0) return warn(`rule on line ${index + 1} has no "=>": ${line}`);
      let pattern;
      try {
        pattern = new RegExp(rule.slice(0, arrow).trim(), 'i');
      } catch (error) {
        return warn(`rule on line ${index + 1} is not a valid pattern: ${error.message}`);
      }
      const headers = {};
      for (const part of headerParts) {
        const colon = part.indexOf(':');
        if (colon > 0) headers[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
      }
      rules.push({ pattern, replacement: rule.slice(arrow + 2).trim(), headers, line: index + 1 });
    });
  return rules;
}

export function applyRules(rules, url) {
  for (const rule of rules) {
    if (!rule.pattern.test(url)) continue;
    const target = url.replace(rule.pattern, rule.replacement);
    if (target === url && Object.keys(rule.headers).length === 0) continue;
    return Object.keys(rule.headers).length > 0 ? { url: target, headers: rule.headers } : { url: target };
  }
  return null;
}

export function activate(haul) {
  let rules = [];
  // One resolver a rule, with the rule's own pattern: Haul checks the patterns before it
  // starts this plugin, so a URL no rule matches never wakes it. A pattern registered
  // once stays registered until the plugin restarts; every resolver applies the current
  // rules, so an old one can only cost a wake-up, never a wrong link.
  const registered = new Set();
  const use = (text) => {
    rules = parseRules(text, haul.warn);
    for (const { pattern } of rules) {
      if (registered.has(String(pattern))) continue;
      registered.add(String(pattern));
      haul.resolve(pattern, (url) => applyRules(rules, url));
    }
  };
  use(haul.settings.get('rules'));
  haul.on('settings.changed', (settings) => use(settings.rules));
}

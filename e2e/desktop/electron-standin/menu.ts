/** `Menu` and `MenuItem`: templates kept as data so a test can click an item by label. */
import { recorded } from './record';

export interface MenuItemOptions {
  label?: string;
  role?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  enabled?: boolean;
  visible?: boolean;
  checked?: boolean;
  click?: (item: MenuItem, window: unknown, event: unknown) => void;
  submenu?: MenuItemOptions[] | Menu;
}

export class MenuItem {
  readonly label: string;
  readonly role: string | undefined;
  readonly type: string;
  readonly enabled: boolean;
  readonly submenu: Menu | undefined;
  readonly click: MenuItemOptions['click'];

  constructor(options: MenuItemOptions) {
    this.role = options.role;
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    this.label = options.label ?? options.role ?? '';
    this.enabled = options.enabled !== false;
    this.click = options.click;
    this.submenu = options.submenu
      ? options.submenu instanceof Menu
        ? options.submenu
        : Menu.buildFromTemplate(options.submenu)
      : undefined;
  }
}

export class Menu {
  readonly items: MenuItem[] = [];

  static buildFromTemplate(template: (MenuItemOptions | MenuItem)[]): Menu {
    const menu = new Menu();
    for (const entry of template) menu.append(entry instanceof MenuItem ? entry : new MenuItem(entry));
    return menu;
  }

  private static application: Menu | null = null;

  static setApplicationMenu(menu: Menu | null): void {
    Menu.application = menu;
    recorded.applicationMenu = menu ? menu.labels() : [];
  }

  static getApplicationMenu(): Menu | null {
    return Menu.application;
  }

  append(item: MenuItem): void {
    this.items.push(item);
  }

  popup(): void {}

  /** Labels, submenus as "File > Quit"; separators left out. */
  labels(prefix = ''): string[] {
    return this.items.flatMap((item) => {
      if (item.type === 'separator') return [];
      const label = `${prefix}${item.label}`;
      return item.submenu ? [label, ...item.submenu.labels(`${label} > `)] : [label];
    });
  }

  /** Clicks the item with this label (e.g. "File > Quit"), as the user would. */
  clickItem(path: string): void {
    const [first, ...rest] = path.split(' > ');
    const item = this.items.find((i) => i.type !== 'separator' && i.label === first);
    if (!item) throw new Error(`no menu item "${first}" in ${JSON.stringify(this.labels())}`);
    if (rest.length > 0) {
      if (!item.submenu) throw new Error(`"${first}" has no submenu`);
      return item.submenu.clickItem(rest.join(' > '));
    }
    if (!item.enabled) throw new Error(`"${path}" is disabled`);
    item.click?.(item, undefined, { triggeredByAccelerator: false });
  }
}

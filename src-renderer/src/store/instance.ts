import { createClient } from '../api/client';
import { createStore } from './index';

/** The app's one store, bound to whichever transport this window has. */
export const useStore = createStore(createClient());

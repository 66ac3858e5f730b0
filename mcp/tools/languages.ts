import { RUNNABLE_LANGUAGES } from '../../sandbox/languages';

/** For messages: what check_code accepts. */
export const KNOWN_LANGUAGES_TEXT =
  'python, javascript, typescript, go, java, c, cpp, ruby, r, shell (or aliases: py, js, ts, sh, bash...)';

/** For messages: what run_code/execute_code accept. */
export const RUNNABLE_LANGUAGES_TEXT = `${RUNNABLE_LANGUAGES.map((l) => (l === 'shellscript' ? 'shell' : l)).join(', ')} (or aliases: py, js, ts, sh, bash...)`;

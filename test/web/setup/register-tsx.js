// Loaded with `node --import` (through .mocharc.json) before mocha: tsx then compiles the
// dashboard and its tests with test/web/tsconfig.json, whose `jsx: react-jsx` the root one lacks.
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register({ tsconfig: join(import.meta.dirname, '..', 'tsconfig.json') });

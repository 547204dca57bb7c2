/**
 * The registered benchmark suites, run in this order by `npm run bench`. A later issue adds its
 * suite here (e.g. search, notifications).
 */
import type { BenchSuite } from '../framework.js'
import { notificationsSuite } from './notifications.js'
import { objectsSuite } from './objects.js'
import { searchSuite } from './search.js'

export const SUITES: readonly BenchSuite[] = [objectsSuite, searchSuite, notificationsSuite]

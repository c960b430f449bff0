import { createRequire } from 'node:module';
import { cachedPerWord } from './text.ts';

/**
 * The lexical resource behind paraphrase-tolerant matching, shipped inside two npm packages (no download):
 * `wink-porter2-stemmer` (Porter2 roots, so "persistent" and "persistence", "connection" and "connected" meet)
 * and `synonyms` (single-word synonyms from WordNet 3, about 2 MB). The stemmer loads with this module (a few
 * milliseconds); the synonyms when the bot starts (`preloadLexicon` in lexicon.ts, before it connects to Discord,
 * so no interaction waits for them), or on first use.
 */
const require = createRequire(import.meta.url);
const porter2 = require('wink-porter2-stemmer') as (word: string) => string;
let dictionary: Record<string, Record<string, string[]>> | undefined;

function synonymDictionary(): Record<string, Record<string, string[]>> {
  dictionary ??= require('synonyms/dictionary.js') as Record<string, Record<string, string[]>>;
  return dictionary;
}

/** Loads the synonyms now (see lexicon.ts). */
export function loadSynonyms(): void {
  synonymDictionary();
}

/** The Porter2 root of a lower-case word ("queries" → "queri"), cached. */
export const rootOf = cachedPerWord(porter2);

/** Roots of the word's single-word synonyms of at least four letters, without the word's own root. */
export function synonymRoots(word: string): string[] {
  const synonyms = synonymDictionary();
  const entry = Object.hasOwn(synonyms, word) ? synonyms[word] : undefined;
  if (!entry) return [];
  const own = rootOf(word);
  const found = new Set<string>();
  for (const list of Object.values(entry)) {
    for (const synonym of list) {
      if (/^[a-z]{4,}$/.test(synonym) && rootOf(synonym) !== own) found.add(rootOf(synonym));
    }
  }
  return [...found];
}

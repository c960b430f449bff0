declare module 'wink-porter2-stemmer';
declare module 'synonyms/dictionary.js';

// Search that finds Chinese words (三次握手, 黏包) in the book.
//
// mdBook's index splits text at spaces and hyphens and trims every word to [0-9a-z_] at both
// ends, so a Chinese word is never in its index, and a Chinese query is trimmed to nothing. The
// index also stores each section's text (title, breadcrumbs, body), so for a query with a CJK
// character in it this searches that text instead: every word of the query (split at spaces)
// must appear in the section, and a section scores by how often they appear, weighted like
// mdBook's own search (search_options' boosts). Other queries go to mdBook's search unchanged.
(function () {
  'use strict';
  if (typeof elasticlunr === 'undefined') {
    return;
  }
  const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  const FIELDS = ['title', 'breadcrumbs', 'body'];

  function count(text, word) {
    let n = 0;
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      n++;
    }
    return n;
  }

  // A teaser around the first place one of the words appears (mdBook's own teaser looks for
  // whole space-separated words, which Chinese text does not have).
  function around(body, words) {
    const lower = body.toLowerCase();
    let at = -1;
    for (const w of words) {
      const i = lower.indexOf(w);
      if (i !== -1 && (at === -1 || i < at)) {
        at = i;
      }
    }
    const start = Math.max(0, at - 40);
    return (start > 0 ? '… ' : '') + body.slice(start, start + 160) + ' …';
  }

  function cjkSearch(index, query, options) {
    const words = query.toLowerCase().split(/\s+/).filter(w => w.length > 0);
    const boosts = (options && options.fields) || {};
    const any = options && options.bool === 'OR';
    const results = [];
    for (const ref in index.documentStore.docs) {
      const doc = index.documentStore.docs[ref];
      let score = 0;
      let found = 0;
      for (const w of words) {
        let hits = 0;
        for (const field of FIELDS) {
          const n = count(String(doc[field] || '').toLowerCase(), w);
          const boost = boosts[field] && boosts[field].boost ? boosts[field].boost : 1;
          hits += n * boost;
        }
        if (hits > 0) {
          found++;
          score += Math.sqrt(hits);
        }
      }
      if (found > 0 && (any || found === words.length)) {
        const shown = Object.assign({}, doc, { body: around(String(doc.body || ''), words) });
        results.push({ ref: ref, score: score, doc: shown });
      }
    }
    results.sort((a, b) => b.score - a.score);
    return results;
  }

  const load = elasticlunr.Index.load;
  elasticlunr.Index.load = function (data) {
    const index = load.call(this, data);
    const search = index.search;
    index.search = function (query, options) {
      if (CJK.test(query)) {
        return cjkSearch(index, query, options);
      }
      return search.call(index, query, options);
    };
    return index;
  };
  // For the book's own check (scripts/book-check.mjs).
  window.netLessonsCjkSearch = cjkSearch;
})();

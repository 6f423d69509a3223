// Opens every page of the built book (target/book) in headless Chromium, as a reader would, and
// fails on: a link or anchor that leads nowhere, a ```mermaid block that did not become an SVG
// diagram (or became mermaid's error picture), a script error, a key term of the notes that the
// book's search does not find (typed into the search box). Saves screenshots of one lesson page
// and one concept page. Run by scripts/check-book.sh:
//
//   node scripts/book-check.mjs BOOK_DIR NODE_MODULES SHOTS_DIR
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [bookDir, nodeModules, shotsDir] = process.argv.slice(2).map((p) => path.resolve(p));
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(nodeModules, 'x.js'));
const { chromium } = require('playwright-core');

// The notes' key terms, and a page the search must list for each.
const TERMS = [
  ['三次握手', 'concepts/handshake-and-close.html'],
  ['四次挥手', 'concepts/handshake-and-close.html'],
  ['黏包', 'lessons/08-sticky_packet_demo.html'],
  ['长连接', 'concepts/long-and-short-connections.html'],
  ['无状态', 'concepts/http.html'],
  ['请求方法', 'concepts/http.html'],
  ['状态码', 'concepts/http.html'],
  ['七层', 'concepts/ip-and-ports.html'],
  ['网络调试助手', 'windows.html'],
  ['防火墙', 'windows.html'],
  ['端口', 'concepts/ip-and-ports.html'],
  ['套接字', 'concepts/sockets-and-text.html'],
  ['TIME_WAIT', 'concepts/handshake-and-close.html'],
  ['SO_REUSEADDR', 'concepts/handshake-and-close.html'],
  ['backlog', 'concepts/listen-backlog.html'],
];
const SHOTS = [
  ['lesson-05-tcp_server.png', 'lessons/05-tcp_server.html', 'a[id^="rs-"]'],
  ['concept-handshake.png', 'concepts/handshake-and-close.html', 'pre.mermaid'],
];
const SKIP = new Set(['404.html', 'print.html', 'toc.html']);
const sourceUrl = (process.env.NET_LESSONS_SOURCE_URL || '').replace(/\/$/, '');

const problems = [];
const problem = (where, what) => {
  problems.push(`${where}: ${what}`);
  console.log(`  FAIL ${where}: ${what}`);
};

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p));
    else if (entry.name.endsWith('.html')) out.push(path.relative(bookDir, p).split(path.sep).join('/'));
  }
  return out.sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
};

// The book over HTTP on loopback, as `mdbook serve` or Pages would serve it.
function serve() {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(bookDir, path.normalize(rel));
    if (!file.startsWith(bookDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const idsCache = new Map();
function idsOf(rel) {
  if (!idsCache.has(rel)) {
    const text = fs.readFileSync(path.join(bookDir, rel), 'utf8');
    idsCache.set(rel, new Set([...text.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1])));
  }
  return idsCache.get(rel);
}

function checkLink(where, href, base, origin) {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    problem(where, `bad link ${href}`);
    return 'bad';
  }
  if (url.protocol === 'file:') {
    const file = fileURLToPath(url);
    if (!fs.existsSync(file)) problem(where, `link to ${href}: no such file`);
    return 'source';
  }
  if (sourceUrl && href.startsWith(sourceUrl + '/')) {
    const rel = decodeURIComponent(href.slice(sourceUrl.length + 1).split('#')[0]);
    if (!fs.existsSync(path.join(repo, rel))) problem(where, `link to ${href}: no ${rel} in the repository`);
    return 'source';
  }
  if (url.origin !== origin) return 'external';
  let rel = decodeURIComponent(url.pathname).replace(/^\//, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.join(bookDir, rel);
  if (!fs.existsSync(file)) {
    problem(where, `link to ${href}: no page ${rel}`);
    return 'bad';
  }
  const anchor = decodeURIComponent(url.hash.slice(1));
  if (anchor && rel.endsWith('.html') && !idsOf(rel).has(anchor)) {
    problem(where, `link to ${href}: ${rel} has no anchor #${anchor}`);
  }
  return 'book';
}

// The built index itself: each term is in the text it stores (mdBook's word index cannot hold
// Chinese; book-js/cjk-search.js searches that text).
function checkIndex() {
  const file = fs.readdirSync(bookDir).find((f) => /^searchindex.*\.js$/.test(f));
  if (!file) {
    problem('searchindex', 'no searchindex*.js in the book');
    return;
  }
  const window = { search: {} };
  new Function('window', fs.readFileSync(path.join(bookDir, file), 'utf8'))(window);
  const docs = Object.values(window.search.index.documentStore.docs);
  const urls = window.search.doc_urls;
  for (const [term, expected] of TERMS) {
    const refs = Object.entries(window.search.index.documentStore.docs)
      .filter(([, d]) => `${d.title} ${d.body}`.toLowerCase().includes(term.toLowerCase()))
      .map(([ref]) => urls[ref]);
    if (!refs.some((u) => u.startsWith(expected))) {
      problem(file, `"${term}" is not in the stored text of ${expected}`);
    }
  }
  console.log(`  ${file}: ${docs.length} sections; the ${TERMS.length} key terms are in their pages' text`);
}

async function main() {
  checkIndex();
  const pages = htmlFiles(bookDir).filter((p) => !SKIP.has(p));
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'book-check-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const counts = { pages: 0, diagrams: 0, book: 0, source: 0, external: 0, bad: 0 };
  try {
    const page = browser.pages()[0] || (await browser.newPage());
    let errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    for (const rel of pages) {
      errors = [];
      const url = `${origin}/${rel}`;
      const response = await page.goto(url, { waitUntil: 'load' });
      if (!response || response.status() !== 200) {
        problem(rel, `HTTP ${response && response.status()}`);
        continue;
      }
      counts.pages++;
      // mermaid renders after load: wait for every block to hold an <svg>.
      const blocks = await page.locator('pre.mermaid').count();
      const source = path.join(repo, 'docs', rel === 'index.html' ? 'README.md' : rel.replace(/\.html$/, '.md'));
      const fences = fs.existsSync(source)
        ? (fs.readFileSync(source, 'utf8').match(/^```mermaid\s*$/gm) || []).length : 0;
      if (fences !== blocks) problem(rel, `${fences} \`\`\`mermaid blocks in the page's source, ${blocks} on the page`);
      if (blocks > 0) {
        try {
          await page.waitForFunction(() => [...document.querySelectorAll('pre.mermaid')]
            .every((b) => b.querySelector('svg')), null, { timeout: 20000 });
        } catch {
          problem(rel, 'a mermaid block did not become an SVG within 20 s');
        }
        const bad = await page.evaluate(() => [...document.querySelectorAll('pre.mermaid')]
          .filter((b) => !b.querySelector('svg') || b.querySelector('svg[aria-roledescription="error"]')
            || /Syntax error/.test(b.textContent)).length);
        if (bad) problem(rel, `${bad} of ${blocks} mermaid blocks not rendered (or mermaid's error picture)`);
        counts.diagrams += blocks - bad;
      }
      const links = await page.evaluate(() => [...document.querySelectorAll('main a[href], main img[src]')]
        .map((a) => a.getAttribute('href') || a.getAttribute('src')));
      for (const href of links) counts[checkLink(rel, href, url, origin)]++;
      const unrendered = await page.evaluate(() => document.querySelector('main').innerText.match(/\{\{#\w+[^}]*\}\}/));
      if (unrendered) problem(rel, `an mdBook directive was not expanded: ${unrendered[0]}`);
      for (const e of errors) problem(rel, `script error: ${e}`);
    }
    console.log(`  ${counts.pages} pages opened, ${counts.diagrams} mermaid diagrams rendered as SVG, `
      + `${counts.book} links inside the book, ${counts.source} to the source, ${counts.external} external (not followed)`);

    // The search box, as a reader uses it.
    await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
    const toggle = page.locator('#mdbook-search-toggle, #search-toggle').first();
    await toggle.click();
    const bar = page.locator('#mdbook-searchbar, #searchbar').first();
    await bar.waitFor({ state: 'visible', timeout: 10000 });
    for (const [term, expected] of TERMS) {
      await bar.fill(term);
      await bar.press('End'); // the search runs on keyup
      let hrefs = [];
      try {
        await page.waitForFunction((t) => {
          const header = document.querySelector('#mdbook-searchresults-header, #searchresults-header');
          return header && header.textContent.includes(t);
        }, term, { timeout: 10000 });
        hrefs = await page.evaluate(() => [...document.querySelectorAll('#mdbook-searchresults a, #searchresults a')]
          .map((a) => a.getAttribute('href')));
      } catch {
        // no header for this term: counted as no results below
      }
      const hit = hrefs.some((h) => h.split('?')[0].split('#')[0].endsWith(expected));
      console.log(`  search ${term}: ${hrefs.length} results${hit ? `, ${expected} among them` : ''}`);
      if (!hit) problem('search', `"${term}" does not list ${expected} (${hrefs.length} results)`);
    }

    fs.mkdirSync(shotsDir, { recursive: true });
    for (const [name, rel, scrollTo] of SHOTS) {
      await page.goto(`${origin}/${rel}`, { waitUntil: 'load' });
      if (scrollTo) {
        await page.waitForFunction(() => [...document.querySelectorAll('pre.mermaid')]
          .every((b) => b.querySelector('svg')), null, { timeout: 20000 }).catch(() => {});
        await page.locator(scrollTo).first().scrollIntoViewIfNeeded();
      }
      await page.screenshot({ path: path.join(shotsDir, name) });
      console.log(`  screenshot ${path.join(shotsDir, name)}`);
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (problems.length) {
    console.log(`\nbook-check: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log('book-check: all good');
}

main().catch((e) => {
  console.error(`book-check: ${e.stack || e}`);
  process.exit(1);
});

//! 练习 11-3 的参考答案: "did you mean ...?" for a word that is not in the dictionary. The
//! lookup is the lesson's `Dictionary::answer` on the built-in words.txt; when the word is
//! missing, the first word (in alphabetical order) one letter away is suggested: one letter
//! changed, added, removed, or two neighbours swapped (`appel` → `apple`).
//!
//! ```text
//! cargo run -p word_lookup --example answer_11_3 -- appel xyzzy
//! ```

use std::process::ExitCode;

use anyhow::Result;
use netcommon::{say, Args};

const USAGE_ZH: &str = "用法：answer_11_3 WORD...   （用内置的单词本回答每个 WORD）";
const USAGE_EN: &str =
    "usage: answer_11_3 WORD...   (answers each WORD from the built-in words.txt)";

fn main() -> ExitCode {
    netcommon::run(netcommon::pick(USAGE_ZH, USAGE_EN), look_up)
}

fn look_up(args: Args) -> Result<()> {
    // The built-in 单词本, parsed the way dict.rs does: `WORD MEANING` lines, `#` comments.
    let mut words: Vec<(String, &str)> = include_str!("../words.txt")
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.trim().split_once(char::is_whitespace))
        .map(|(word, meaning)| (word.to_lowercase(), meaning.trim()))
        .collect();
    words.sort();
    for query in args.finish()? {
        say!("{}", answer(&words, &query));
    }
    Ok(())
}

/// `Dictionary::answer` with the suggestion added (empty and too long queries left out here).
fn answer(words: &[(String, &str)], query: &str) -> String {
    let word = query.trim().to_lowercase();
    if let Some((_, meaning)) = words.iter().find(|(w, _)| *w == word) {
        return format!("{word}: {meaning}");
    }
    match words.iter().find(|(w, _)| one_letter_away(w, &word)) {
        Some((near, _)) => format!("{word}: not in the dictionary (did you mean {near}?)"),
        None => format!("{word}: not in the dictionary"),
    }
}

/// One letter changed, added or removed, or two neighbouring letters swapped.
fn one_letter_away(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Skip the common beginning and the common end: what is left must be tiny.
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let end = a[start..]
        .iter()
        .rev()
        .zip(b[start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[start..a.len() - end], &b[start..b.len() - end]);
    match (a.len(), b.len()) {
        (1, 1) | (1, 0) | (0, 1) => true,       // changed, removed, added
        (2, 2) => a[0] == b[1] && a[1] == b[0], // swapped: "el" / "le"
        _ => false,
    }
}

//! The 单词本: parsed once from text, then only read. A pure piece, tested on its own.

use std::collections::HashMap;

/// The longest word we look up, in bytes (the longest English words are under 50 letters).
pub const MAX_WORD: usize = 64;

/// Words (lower-case) and what they mean.
pub struct Dictionary(HashMap<String, String>);

impl Dictionary {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The answer to one query, exactly as it goes back on the wire.
    pub fn answer(&self, query: &str) -> String {
        // ANCHOR: hw_answer
        // Spaces around the word, and case, do not matter: " Apple\n" finds "apple".
        // ANCHOR: lookup
        let word = query.trim().to_lowercase();
        if word.is_empty() {
            return "empty query: send one word".to_string();
        }
        if word.len() > MAX_WORD {
            return format!("query too long: a word is at most {MAX_WORD} bytes");
        }
        match self.0.get(&word) {
            Some(meaning) => format!("{word}: {meaning}"),
            None => format!("{word}: not in the dictionary"),
        }
        // ANCHOR_END: lookup
        // ANCHOR_END: hw_answer
    }
}

/// Parses `WORD MEANING` lines (a tab or spaces between them); `#` lines and empty lines are
/// skipped. A line without a meaning, or a word given twice, is an error naming the line.
pub fn parse(text: &str) -> Result<Dictionary, String> {
    let mut words = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((word, meaning)) = line.split_once(char::is_whitespace) else {
            let n = n + 1;
            return Err(netcommon::tr!(
                "第 {n} 行：{line:?} 只有单词，没有解释（每行写 `单词 解释`）",
                "line {n}: {line:?} has a word but no meaning"
            ));
        };
        let word = word.to_lowercase();
        if words
            .insert(word.clone(), meaning.trim().to_string())
            .is_some()
        {
            let n = n + 1;
            return Err(netcommon::tr!(
                "第 {n} 行：{word:?} 在单词本里已经有了（每个单词只写一次）",
                "line {n}: {word:?} is already in the dictionary"
            ));
        }
    }
    Ok(Dictionary(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_dictionary_parses_and_has_hundreds_of_words() {
        let dict = parse(include_str!("../words.txt")).unwrap();
        assert!(dict.len() >= 300, "{}", dict.len());
        assert_eq!(dict.answer("socket"), "socket: n. 套接字；插座");
    }

    #[test]
    fn answers() {
        let dict = parse("# comment\n\nApple\tn. 苹果\nport   n. 端口\n").unwrap();
        assert_eq!(dict.answer("apple"), "apple: n. 苹果");
        assert_eq!(dict.answer("  PORT\r\n"), "port: n. 端口");
        assert_eq!(dict.answer("pear"), "pear: not in the dictionary");
        assert_eq!(dict.answer(" "), "empty query: send one word");
        let long = "a".repeat(MAX_WORD + 1);
        assert_eq!(
            dict.answer(&long),
            "query too long: a word is at most 64 bytes"
        );
        assert_eq!(dict.answer("\u{fffd}x"), "\u{fffd}x: not in the dictionary");
    }

    #[test]
    fn mistakes_name_their_line() {
        assert_eq!(
            parse("a 1\nlonely\n").err().unwrap(),
            netcommon::pick(
                "第 2 行：\"lonely\" 只有单词，没有解释（每行写 `单词 解释`）",
                "line 2: \"lonely\" has a word but no meaning"
            )
        );
        assert_eq!(
            parse("a 1\nA 2\n").err().unwrap(),
            netcommon::pick(
                "第 2 行：\"a\" 在单词本里已经有了（每个单词只写一次）",
                "line 2: \"a\" is already in the dictionary"
            )
        );
    }
}

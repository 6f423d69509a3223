//! Every example of this crate answers `--help` as SPEC says (usage on stdout, exit 0) and
//! refuses an option it does not know (exit 2); the binary's own command line is checked in the
//! crate's main tests.

#[test]
fn every_example_answers_help() {
    lesson_testing::check_examples_answer_help(env!("CARGO_MANIFEST_DIR"));
}

/// An example that takes no positional word says so instead of ignoring it.
#[test]
fn a_word_too_many_is_refused() {
    use lesson_testing::{check_extra_word_refused, example};
    check_extra_word_refused(&example("answer_02_3"), &["--dict", "words.txt", "extra"]);
}

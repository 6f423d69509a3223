//! Every example of this crate answers `--help` as SPEC says (usage on stdout, exit 0) and
//! refuses an option it does not know (exit 2); the binary's own command line is checked in the
//! crate's main tests.

#[test]
fn every_example_answers_help() {
    lesson_testing::check_examples_answer_help(env!("CARGO_MANIFEST_DIR"));
}

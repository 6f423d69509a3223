//! Every example of this crate answers `--help` as SPEC says (usage on stdout, exit 0); the
//! binary's own `--help` is checked with its command line in the crate's main tests.

#[test]
fn every_example_answers_help() {
    lesson_testing::check_examples_answer_help(env!("CARGO_MANIFEST_DIR"));
}

//! The command line a teacher meets first: `--help` lists the lessons, an unknown lesson is a
//! usage error that names the valid ones.

use std::process::Command;

fn xtask(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_lists_the_lessons() {
    let (code, stdout, _) = xtask(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("用法："), "{stdout}");
    assert!(
        stdout.contains("有作业的课程：")
            && stdout.contains("tcp_server")
            && stdout.contains("word_lookup"),
        "{stdout}"
    );
}

#[test]
fn an_unknown_lesson_is_a_usage_error_naming_the_valid_ones() {
    for args in [
        &["grade", "tcp_sever"][..],
        &["homework", "nope", "--out", "x"],
        &["grade-class", ".", "--lesson", "nope"],
        &["check-homework", "nope"],
    ] {
        let (code, stdout, stderr) = xtask(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(
            stderr.contains("没有叫") && stderr.contains("tcp_server"),
            "{stderr}"
        );
    }
}

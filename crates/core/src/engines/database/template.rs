//! Username templates for the database secrets engine.
//!
//! Vault lets operators shape the usernames it creates in external databases with a
//! `username_template` in Go's `text/template` language. Roles written for Vault must work here
//! unchanged, so this implements the part of that language such templates use: literal text,
//! `{{ }}` actions with `{{-`/`-}}` trim markers, pipelines, parentheses, string and integer
//! literals, the `.DisplayName`/`.RoleName` fields and Vault's helper functions. `parse` also
//! renders once with placeholder values, so a bad template is refused when the role is written
//! rather than when a credential is first requested.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Vault's default: `v-<display name>-<role name>-<20 random>-<unix seconds>`, each name cut to
/// 8 characters and the whole to 63, which fits PostgreSQL's identifier limit.
pub const DEFAULT_USERNAME_TEMPLATE: &str = r#"{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}"#;

/// Largest `N` accepted by `random`, `truncate` and `truncate_sha256`.
const MAX_LEN: i64 = 1024;
/// Largest value a function may return, so chained `hex`/`base64`/`replace` cannot exhaust memory.
const MAX_VALUE: usize = 4096;
/// Deepest parenthesis nesting accepted, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 32;
/// What Go's trim markers remove.
const SPACE: &[char] = &[' ', '\t', '\r', '\n'];
/// Parameter kinds, worded for error messages.
const INT: &str = "an integer";
const STR: &str = "a string";

/// Why a template was refused or could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// Returns a [`TemplateError`] built like `format!`.
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err(TemplateError(format!($($arg)*)))
    };
}

/// What a template can refer to: `.DisplayName` (of the requesting token) and `.RoleName`.
pub struct Metadata<'a> {
    pub display_name: &'a str,
    pub role_name: &'a str,
}

/// A parsed `username_template`, rendered afresh (new randomness and time) for every user.
#[derive(Debug, Clone)]
pub struct UsernameTemplate {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action(Vec<Cmd>),
}

/// A pipeline stage or argument; names are resolved when rendering, which `parse` does once.
#[derive(Debug, Clone)]
enum Cmd {
    Lit(Value),
    Field(String),
    Call(String, Vec<Cmd>),
    Pipe(Vec<Cmd>),
}

#[derive(Debug, Clone)]
enum Value {
    Str(String),
    Int(i64),
}

impl Value {
    /// The value as output, or quoted (for error messages).
    fn show(&self, quote: bool) -> String {
        match self {
            Value::Str(s) if quote => format!("{s:?}"),
            Value::Str(s) => s.clone(),
            Value::Int(n) => n.to_string(),
        }
    }
}

impl UsernameTemplate {
    /// Parses `src` and test-renders it, so unknown names, wrong argument counts or types and
    /// out-of-range lengths are all reported here.
    pub fn parse(src: &str) -> Result<Self, TemplateError> {
        let mut p = Parser { src, pos: 0 };
        let mut nodes = Vec::new();
        let mut trim: &[char] = &[];
        while let Some(open) = p.rest().find("{{") {
            let mut text = src[p.pos..p.pos + open].trim_start_matches(trim);
            p.pos += open + 2;
            if p.rest()
                .strip_prefix('-')
                .is_some_and(|r| r.starts_with(SPACE))
            {
                text = text.trim_end_matches(SPACE);
                p.pos += 1;
            }
            nodes.push(Node::Text(text.to_owned()));
            nodes.push(Node::Action(p.pipeline(0)?));
            trim = if p.close()? { SPACE } else { &[] };
        }
        nodes.push(Node::Text(p.rest().trim_start_matches(trim).to_owned()));
        let template = Self { nodes };
        let meta = Metadata {
            display_name: "token",
            role_name: "role",
        };
        template.render(&meta)?;
        Ok(template)
    }

    /// Renders a username for `meta`.
    pub fn render(&self, meta: &Metadata<'_>) -> Result<String, TemplateError> {
        let mut out = String::new();
        for node in &self.nodes {
            match node {
                Node::Text(text) => out.push_str(text),
                Node::Action(cmds) => out.push_str(&pipe(cmds, meta)?.show(false)),
            }
        }
        Ok(out)
    }
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Parser<'s> {
    fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        self.pos += if found { token.len() } else { 0 };
        found
    }

    fn skip_space(&mut self) {
        self.pos = self.src.len() - self.rest().trim_start_matches(SPACE).len();
    }

    /// Go reads `-}}` as a trim marker only after whitespace (`{{3-}}` is an error).
    fn at_trim_close(&self) -> bool {
        self.rest().starts_with("-}}") && self.src[..self.pos].ends_with(SPACE)
    }

    /// Consumes one character, then identifier characters (and dots if `dots`).
    fn word(&mut self, dots: bool) -> &'s str {
        let start = self.pos;
        let mut chars = self.rest().chars();
        self.pos += chars.next().map_or(0, char::len_utf8);
        let body = chars.as_str();
        let ident = |c: char| c.is_alphanumeric() || c == '_' || (dots && c == '.');
        self.pos += body.find(|c| !ident(c)).unwrap_or(body.len());
        &self.src[start..self.pos]
    }

    /// Ends an action; `true` if it closed with `-}}`, trimming the text after it.
    fn close(&mut self) -> Result<bool, TemplateError> {
        self.skip_space();
        if self.eat("}}") {
            return Ok(false);
        }
        if !self.at_trim_close() {
            let c = self.rest().chars().next().unwrap_or(' ').escape_debug();
            bail!("unexpected \"{c}\" in action");
        }
        self.pos += 3;
        Ok(true)
    }

    fn pipeline(&mut self, depth: usize) -> Result<Vec<Cmd>, TemplateError> {
        let mut cmds = vec![self.command(depth)?];
        while self.eat("|") {
            let cmd = self.command(depth)?;
            if !matches!(cmd, Cmd::Call(..)) {
                bail!("non-function in pipeline stage {}", cmds.len() + 1);
            }
            cmds.push(cmd);
        }
        Ok(cmds)
    }

    fn command(&mut self, depth: usize) -> Result<Cmd, TemplateError> {
        match self.operand(depth)? {
            None => bail!("missing value for command"),
            Some(Cmd::Call(name, mut args)) => {
                while let Some(arg) = self.operand(depth)? {
                    args.push(arg);
                }
                Ok(Cmd::Call(name, args))
            }
            Some(_) if self.operand(depth)?.is_some() => {
                bail!("cannot give arguments to a non-function")
            }
            Some(cmd) => Ok(cmd),
        }
    }

    /// The next operand, or `None` at `|`, `)`, `}}` or `-}}`. A bare identifier is a call
    /// without arguments, as in Go; `command` gives it the arguments that follow.
    fn operand(&mut self, depth: usize) -> Result<Option<Cmd>, TemplateError> {
        self.skip_space();
        let rest = self.rest();
        let mut chars = rest.chars();
        let (Some(c), next) = (chars.next(), chars.next()) else {
            bail!("unclosed action");
        };
        Ok(Some(match c {
            '"' => Cmd::Lit(Value::Str(self.quoted()?)),
            '`' => match rest[1..].find('`') {
                Some(end) => {
                    self.pos += end + 2;
                    Cmd::Lit(Value::Str(rest[1..=end].to_owned()))
                }
                None => bail!("unterminated raw string"),
            },
            '.' => Cmd::Field(self.word(true).to_owned()),
            '(' if depth >= MAX_DEPTH => bail!("parentheses nested too deeply"),
            '(' => {
                self.pos += 1;
                let inner = self.pipeline(depth + 1)?;
                if !self.eat(")") {
                    bail!("unclosed left paren");
                }
                Cmd::Pipe(inner)
            }
            '0'..='9' | '-' | '+'
                if c.is_ascii_digit() || next.is_some_and(|d| d.is_ascii_digit()) =>
            {
                let word = self.word(true);
                let n = word
                    .parse()
                    .map_err(|_| TemplateError(format!("bad number {word:?}")))?;
                Cmd::Lit(Value::Int(n))
            }
            c if c.is_alphabetic() || c == '_' => Cmd::Call(self.word(false).to_owned(), vec![]),
            '|' | ')' | '}' => return Ok(None),
            '-' if self.at_trim_close() => return Ok(None),
            c => bail!("unexpected \"{}\" in action", c.escape_debug()),
        }))
    }

    /// A Go interpreted string literal with the escapes templates need.
    fn quoted(&mut self) -> Result<String, TemplateError> {
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            out.push(match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\n' => break,
                '\\' => match chars.next().map(|(_, e)| e) {
                    Some(e @ ('"' | '\\')) => e,
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some('r') => '\r',
                    Some(e) => bail!("invalid escape \"\\{}\" in string", e.escape_debug()),
                    None => break,
                },
                c => c,
            });
        }
        bail!("unterminated quoted string")
    }
}

/// Runs a pipeline, passing each stage's value as the last argument of the next.
fn pipe(cmds: &[Cmd], meta: &Metadata<'_>) -> Result<Value, TemplateError> {
    cmds.iter()
        .try_fold(None, |piped, cmd| eval(cmd, meta, piped).map(Some))?
        .ok_or_else(|| TemplateError("missing value for command".into()))
}

fn eval(cmd: &Cmd, meta: &Metadata<'_>, piped: Option<Value>) -> Result<Value, TemplateError> {
    match cmd {
        Cmd::Lit(value) => Ok(value.clone()),
        Cmd::Field(field) => match field.as_str() {
            ".DisplayName" => Ok(Value::Str(meta.display_name.to_owned())),
            ".RoleName" => Ok(Value::Str(meta.role_name.to_owned())),
            _ => bail!("unknown field {field:?}"),
        },
        Cmd::Pipe(cmds) => pipe(cmds, meta),
        Cmd::Call(name, args) => {
            let args: Result<Vec<_>, _> = args.iter().map(|a| eval(a, meta, None)).collect();
            let out = call(name, args?.into_iter().chain(piped).collect())?;
            match out.len() > MAX_VALUE {
                true => bail!("{name}: result longer than {MAX_VALUE} bytes"),
                false => Ok(Value::Str(out)),
            }
        }
    }
}

fn length(name: &str, n: i64, min: i64) -> Result<usize, TemplateError> {
    match (min..=MAX_LEN).contains(&n) {
        true => Ok(n as usize),
        false => bail!("{name}: length must be between {min} and {MAX_LEN}, got {n}"),
    }
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn call(name: &str, args: Vec<Value>) -> Result<String, TemplateError> {
    let sig: &[&str] = match name {
        "printf" => return printf(args),
        "random" => &[INT],
        "truncate" | "truncate_sha256" => &[INT, STR],
        "replace" => &[STR, STR, STR],
        "uppercase" | "lowercase" | "sha256" | "base64" | "hex" | "timestamp" => &[STR],
        "unix_time" | "unix_time_millis" | "uuid" => &[],
        _ => bail!("unknown function {name:?}"),
    };
    if args.len() != sig.len() {
        let (want, got) = (sig.len(), args.len());
        bail!("wrong number of arguments for {name}: want {want}, got {got}");
    }
    let (mut ints, mut strs) = (Vec::new(), Vec::new());
    for (i, (arg, &kind)) in args.into_iter().zip(sig).enumerate() {
        match (arg, kind) {
            (Value::Int(n), INT) => ints.push(n),
            (Value::Str(s), STR) => strs.push(s),
            (arg, _) => {
                let (i, arg) = (i + 1, arg.show(true));
                bail!("{name}: argument {i} must be {kind}, not {arg}");
            }
        }
    }
    let now = OffsetDateTime::now_utc();
    // The signature check above decides which names can reach each arm.
    Ok(match (ints.as_slice(), strs.as_slice()) {
        (&[n], []) => crate::random::random_base62(length(name, n, 1)?),
        // Counted in characters (Vault counts bytes), so no character is ever split.
        (&[n], [s]) if name == "truncate" => s.chars().take(length(name, n, 1)?).collect(),
        // As Vault does: keep N-8 characters, then 8 hex digits of the hash of the cut-off rest.
        (&[n], [s]) => match s.char_indices().nth(length(name, n, 9)?) {
            None => s.clone(),
            Some(_) => {
                let cut = s
                    .char_indices()
                    .nth(n as usize - 8)
                    .map_or(s.len(), |(i, _)| i);
                format!("{}{}", &s[..cut], &sha256_hex(&s[cut..])[..8])
            }
        },
        ([], [old, new, s]) => {
            if s.matches(old.as_str()).count().saturating_mul(new.len()) > MAX_VALUE {
                bail!("{name}: result longer than {MAX_VALUE} bytes");
            }
            s.replace(old.as_str(), new)
        }
        ([], [s]) => match name {
            "uppercase" => s.to_uppercase(),
            "lowercase" => s.to_lowercase(),
            "sha256" => sha256_hex(s),
            "base64" => base64::engine::general_purpose::STANDARD.encode(s),
            "hex" => hex::encode(s),
            _ => timestamp(s, now),
        },
        _ => match name {
            "unix_time" => now.unix_timestamp().to_string(),
            "unix_time_millis" => (now.unix_timestamp_nanos() / 1_000_000).to_string(),
            _ => uuid::Uuid::new_v4().to_string(),
        },
    })
}

/// Go's `printf` restricted to `%s`, `%d`, `%v` and `%%`; mismatches are errors rather than
/// Go's inline `%!s(...)` markers, which would only produce a broken username.
fn printf(args: Vec<Value>) -> Result<String, TemplateError> {
    let mut args = args.into_iter();
    let format = match args.next() {
        Some(Value::Str(f)) => f,
        Some(v) => bail!("printf: format must be a string, not {}", v.show(true)),
        None => bail!("wrong number of arguments for printf: want at least 1, got 0"),
    };
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(verb @ ('s' | 'd' | 'v')) => match (verb, args.next()) {
                (_, None) => bail!("printf: missing argument for %{verb}"),
                ('s' | 'v', Some(v @ Value::Str(_))) | ('d' | 'v', Some(v @ Value::Int(_))) => {
                    out.push_str(&v.show(false))
                }
                (_, Some(v)) => bail!("printf: %{verb} cannot format {}", v.show(true)),
            },
            Some(verb) => bail!("printf: unsupported verb %{}", verb.escape_debug()),
            None => bail!("printf: format ends with a lone %"),
        }
    }
    match args.count() {
        0 => Ok(out),
        extra => bail!("printf: {extra} unused argument(s)"),
    }
}

/// Go's `time.Format` for the reference-layout tokens usernames use, in UTC (so the zone
/// tokens print `Z` or `+00:00`); any other layout text is copied.
fn timestamp(layout: &str, now: OffsetDateTime) -> String {
    let two = |n: u8| format!("{n:02}");
    let tokens = [
        ("2006", format!("{:04}", now.year())),
        ("01", two(now.month().into())),
        ("02", two(now.day())),
        ("15", two(now.hour())),
        ("04", two(now.minute())),
        ("05", two(now.second())),
        ("Z07:00", "Z".into()),
        ("Z0700", "Z".into()),
        ("-07:00", "+00:00".into()),
        ("-0700", "+0000".into()),
    ];
    let mut out = String::new();
    let mut rest = layout;
    while let Some(c) = rest.chars().next() {
        let (skip, text) = match tokens.iter().find(|(token, _)| rest.starts_with(token)) {
            Some((token, value)) => (token.len(), value.as_str()),
            None => (c.len_utf8(), &rest[..c.len_utf8()]),
        };
        out.push_str(text);
        rest = &rest[skip..];
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    fn meta<'a>(display_name: &'a str, role_name: &'a str) -> Metadata<'a> {
        Metadata {
            display_name,
            role_name,
        }
    }

    fn render(src: &str) -> Result<String, TemplateError> {
        UsernameTemplate::parse(src)?.render(&meta("token", "readonly"))
    }

    fn digits(s: &str, len: usize) -> bool {
        s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn default_template_matches_vault() {
        let name = render(DEFAULT_USERNAME_TEMPLATE).unwrap();
        let (random, time) = name
            .strip_prefix("v-token-readonly-")
            .unwrap()
            .split_once('-')
            .unwrap();
        assert!(random.len() == 20 && random.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(digits(time, 10), "{name}");
        assert_ne!(name, render(DEFAULT_USERNAME_TEMPLATE).unwrap());
    }

    #[test]
    fn long_names_are_truncated() {
        let role = "r".repeat(60);
        let t = UsernameTemplate::parse(DEFAULT_USERNAME_TEMPLATE).unwrap();
        let name = t.render(&meta("averylongdisplayname", &role)).unwrap();
        assert!(
            name.starts_with("v-averylon-rrrrrrrr-") && name.len() == 51,
            "{name}"
        );
        let src = r#"{{ printf "v-%s-%s" .RoleName (random 20) | truncate 63 }}"#;
        let name = UsernameTemplate::parse(src)
            .unwrap()
            .render(&meta("d", &role))
            .unwrap();
        assert_eq!(name, format!("v-{role}-"));
    }

    /// Runs a table of `template => expected` lines through `check`.
    fn table(cases: &str, check: impl Fn(&str, &str)) {
        for line in cases.lines().filter(|l| !l.is_empty()) {
            let (src, want) = line.split_once(" => ").unwrap();
            check(src.trim_end(), want);
        }
    }

    #[test]
    fn renders_exact_values() {
        let cases = r##"
{{ "abc" | sha256 }}                  => ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
{{ base64 "hello" }}                  => aGVsbG8=
{{ "hi" | hex }}                      => 6869
{{ "a-b-c" | replace "-" "_" }}       => a_b_c
{{ "abcdefghijklmnopqrstuvwxyz" | truncate_sha256 20 }} => abcdefghijkl872808ff
{{ "short" | truncate_sha256 20 }}    => short
{{ "héllo" | truncate 2 }}            => hé
{{ "MiXed" | uppercase }}-{{ "MiXed" | lowercase }} => MIXED-mixed
{{ printf "%s-%d-%v-%v%%" "a" 5 "b" -7 }} => a-5-b--7%
{{ .DisplayName }}/{{ .RoleName }}    => token/readonly
{{ 42 }} {{ "a\"b\\c" }} {{ `x\n"` }} => 42 a"b\c x\n"
{{ "Hello" | lowercase | printf "%s!" }} => hello!
{{ printf "%s.%s" ("x" | uppercase) (("y")) }} => X.y
{{ (.RoleName | truncate 4) | uppercase }} => READ
a {{ "b" }} c {{-3}}                  => a b c -3
plain } { text {{ "}}" }}             => plain } { text }}
"##;
        table(cases, |src, want| {
            assert_eq!(render(src).unwrap(), want, "{src}")
        });
        assert_eq!(render("a \n {{- \"\\t\\n\" -}} \t\n c").unwrap(), "a\t\nc");
    }

    #[test]
    fn renders_fresh_values() {
        assert_eq!(render("{{ random 1024 }}").unwrap().len(), 1024);
        let id = render("{{ uuid }}").unwrap();
        assert_eq!(
            (id.len(), &id[14..15], id.matches('-').count()),
            (36, "4", 4)
        );
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let secs = render("{{ unix_time }}").unwrap();
        let millis = render("{{ unix_time_millis }}").unwrap();
        assert!(digits(&secs, 10) && digits(&millis, 13));
        let (secs_n, millis_n): (i64, i64) = (secs.parse().unwrap(), millis.parse().unwrap());
        assert!((secs_n - now).abs() <= 2 && (millis_n / 1000 - secs_n).abs() <= 1);
        let prefix = render(r#"{{ printf "%s" unix_time | truncate 3 }}"#).unwrap();
        assert_eq!(prefix, secs[..3]);
        let t = OffsetDateTime::from_unix_timestamp(1_614_294_836).unwrap();
        let rfc3339 = timestamp("2006-01-02T15:04:05Z07:00", t);
        assert_eq!(rfc3339, "2021-02-25T23:13:56Z");
        let (compact, offset) = (
            timestamp("20060102150405 é", t),
            timestamp("-07:00 -0700", t),
        );
        assert_eq!(
            (compact.as_str(), offset.as_str()),
            ("20210225231356 é", "+00:00 +0000")
        );
        let today = render(r#"{{ timestamp "20060102" }}"#).unwrap();
        assert!(digits(&today, 8) && today.starts_with("20"));
    }

    #[test]
    fn errors_name_the_problem() {
        let cases = r##"
{{ foo }}                      => unknown function "foo"
{{ printf "%s" (bar 1) }}      => unknown function "bar"
{{ .Nope }}                    => unknown field ".Nope"
{{ .DisplayName                => unclosed action
x {{                           => unclosed action
{{ }}                          => missing value for command
{{ uuid | }}                   => missing value for command
{{ .RoleName | truncate "x" }} => truncate: argument 1 must be an integer, not "x"
{{ 5 | uppercase }}            => uppercase: argument 1 must be a string, not 5
{{ truncate 5 }}               => wrong number of arguments for truncate: want 2, got 1
{{ uuid 5 }}                   => wrong number of arguments for uuid: want 0, got 1
{{ random 0 }}                 => random: length must be between 1 and 1024, got 0
{{ random 1025 }}              => random: length must be between 1 and 1024, got 1025
{{ "x" | truncate -1 }}        => truncate: length must be between 1 and 1024, got -1
{{ "x" | truncate_sha256 8 }}  => truncate_sha256: length must be between 9 and 1024, got 8
{{ printf }}                   => wrong number of arguments for printf: want at least 1, got 0
{{ printf 5 }}                 => printf: format must be a string, not 5
{{ printf "%s %s" "a" }}       => printf: missing argument for %s
{{ printf "%s" "a" "b" }}      => printf: 1 unused argument(s)
{{ printf "%d" "a" }}          => printf: %d cannot format "a"
{{ printf "%x" "a" }}          => printf: unsupported verb %x
{{ printf "50%" }}             => printf: format ends with a lone %
{{ "abc }}                     => unterminated quoted string
{{ "\q" }}                     => invalid escape "\q" in string
{{ `abc }}                     => unterminated raw string
{{ 12ab }}                     => bad number "12ab"
{{ 99999999999999999999 }}     => bad number "99999999999999999999"
{{ "a" "b" }}                  => cannot give arguments to a non-function
{{ "a" | "b" }}                => non-function in pipeline stage 2
{{ (lowercase "A" }}           => unclosed left paren
{{ # }}                        => unexpected "#" in action
{{ "a" ) }}                    => unexpected ")" in action
{{ 3-}}                        => unexpected "-" in action
{{ ((((((((((((((((((((((((((((((((((( }} => parentheses nested too deeply
{{ random 1024 | hex | hex | hex }}      => hex: result longer than 4096 bytes
{{ random 999 | replace "" "0123456789" }} => replace: result longer than 4096 bytes
"##;
        table(cases, |src, want| {
            assert_eq!(render(src).unwrap_err().0, want, "{src}")
        });
        let t = UsernameTemplate::parse("{{ printf .DisplayName }}").unwrap();
        let err = t.render(&meta("%s", "r")).unwrap_err();
        assert_eq!(err.to_string(), "printf: missing argument for %s");
    }

    #[test]
    fn random_input_never_panics() {
        use rand::{seq::IndexedRandom, Rng};
        let pieces = [
            "{{",
            "}}",
            "{{-",
            " -}}",
            "-",
            " ",
            "\n",
            "|",
            "(",
            ")",
            "\"",
            "`",
            "\\",
            "%s",
            "%d",
            "%",
            ".DisplayName",
            ".RoleName",
            ".Nope",
            ".",
            "printf",
            "truncate",
            "truncate_sha256",
            "random",
            "replace",
            "hex",
            "base64",
            "timestamp",
            "uuid",
            "unix_time",
            "8",
            "-3",
            "0",
            "99999",
            "x",
            "é",
            "\u{0}",
            "}",
            "{",
        ];
        let mut rng = rand::rng();
        for _ in 0..2000 {
            let len = rng.random_range(0..20);
            let src: String = (0..len)
                .map(|_| *pieces.choose(&mut rng).unwrap())
                .collect();
            if let Ok(t) = UsernameTemplate::parse(&src) {
                let _ = t.render(&meta("%d%", "é"));
            }
            let bytes: Vec<u8> = (0..len * 3).map(|_| rng.random()).collect();
            let _ = UsernameTemplate::parse(&String::from_utf8_lossy(&bytes));
        }
    }
}

//! The layers' rules, read from the source (ARCHITECTURE.md): the web layer
//! never names storage, and no file imports another that imports it back
//! (a parent module and its children aside). A change that breaks either
//! fails here, naming the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn the_web_layer_never_names_storage() {
    let modules = modules();
    let offenders: Vec<&String> = modules
        .iter()
        .filter(|(name, _)| name.starts_with("crate::web"))
        .filter(|(name, _)| {
            imports(&modules, name)
                .iter()
                .any(|t| t == "crate::storage" || t.starts_with("crate::storage::"))
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        offenders.is_empty(),
        "web files naming storage: {offenders:?}"
    );
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let modules = modules();
    let graph: BTreeMap<&String, BTreeSet<String>> = modules
        .keys()
        .map(|name| (name, imports(&modules, name)))
        .collect();
    let mut cycles = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            // Any path back from `to` to `from` closes a cycle.
            if let Some(path) = path_between(&graph, to, from) {
                cycles.push(format!("{from} -> {}", path.join(" -> ")));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_finds_imports_of_every_form() {
    // The rules above are only as good as this reader: it must see each
    // way a file names another, or a cycle could hide.
    let modules: BTreeMap<String, String> = [
        ("crate::a", "use crate::b::{self, Thing};\nuse super::c::D;"),
        ("crate::a::x", "use super::super::e::{f::{G, H}, I};\nfn f() { crate::z::run(); }"),
        (
            "crate::b",
            "// use crate::a;\nconst S: &str = \"crate::a\";\nconst Q: char = '\"'; fn f<'a>() {}\nconst R: &str = r#\"crate::a \"q\" \"#;",
        ),
        ("crate::c", ""),
        ("crate::e", ""),
        ("crate::e::f", ""),
        ("crate::z", ""),
    ]
    .into_iter()
    .map(|(n, s)| (n.to_string(), s.to_string()))
    .collect();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        imports(&modules, "crate::a"),
        set(&["crate::b", "crate::c"])
    );
    assert_eq!(
        imports(&modules, "crate::a::x"),
        set(&["crate::e", "crate::e::f", "crate::z"])
    );
    // Comments and strings are not imports.
    assert_eq!(imports(&modules, "crate::b"), set(&[]));
}

/// Every file of the library, by module path (`crate::web::state`), with
/// its source stripped of comments, strings and test modules.
fn modules() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files
        .into_iter()
        .filter(|p| !p.starts_with(root.join("bin")) && p != &root.join("main.rs"))
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let name = std::iter::once("crate".to_string())
                .chain(parts)
                .collect::<Vec<_>>()
                .join("::");
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The other files a module names (its own ancestors left out: a child
/// naming its parent is how Rust modules are built).
fn imports(modules: &BTreeMap<String, String>, name: &str) -> BTreeSet<String> {
    let code = strip(&modules[name]);
    let code = match code.find("#[cfg(test)]") {
        Some(at) => &code[..at],
        None => &code[..],
    };
    let mut found = BTreeSet::new();
    for path in paths(code) {
        if let Some(target) = resolve(modules, name, &path)
            && target != name
            && !name.starts_with(&format!("{target}::"))
        {
            found.insert(target);
        }
    }
    found
}

/// Source without comments, string literals (raw ones too) and character
/// literals.
fn strip(source: &str) -> String {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < c.len() {
        match (c[i], at(i + 1)) {
            ('/', '/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            ('/', '*') => {
                i += 2;
                while i < c.len() && !(c[i] == '*' && at(i + 1) == '/') {
                    i += 1;
                }
                i += 2;
            }
            ('r', '#' | '"') if i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_') => {
                let mut hashes = 0;
                let mut j = i + 1;
                while at(j) == '#' {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != '"' {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                let closes = |j: usize| at(j) == '"' && (1..=hashes).all(|k| at(j + k) == '#');
                while j < c.len() && !closes(j) {
                    j += 1;
                }
                i = j + 1 + hashes;
                out.push_str("\"\"");
            }
            ('"', _) => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            // A character literal ('x', '\n', '"'); a lifetime ('a) stays.
            ('\'', '\\') => {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ('\'', _) if at(i + 2) == '\'' => i += 3,
            (ch, _) => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// Every path that starts with `crate`, `super` or `self`, with the
/// braces of `use` trees expanded (`use a::{b, c::{d}}` gives `a::b`,
/// `a::c::d`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts = matches!(tokens[i].as_str(), "crate" | "super" | "self")
            && (i == 0 || tokens[i - 1] != "::");
        if starts {
            i = tree(&tokens, i, Vec::new(), &mut out);
        } else {
            i += 1;
        }
    }
    out
}

/// Reads a path (or use tree) from `tokens[i]` after `prefix`; returns where it ends.
fn tree(
    tokens: &[String],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        Some("}") => return i + 1,
                        Some(",") => i += 1,
                        Some(_) => i = tree(tokens, i, prefix.clone(), out),
                        None => return i,
                    }
                }
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_string());
                i += 1;
                if tokens.get(i).map(String::as_str) == Some("::") {
                    i += 1;
                } else {
                    out.push(prefix);
                    return i;
                }
            }
            _ => {
                out.push(prefix);
                return i;
            }
        }
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut word = c.to_string();
            while let Some(&n) = chars.peek() {
                if n.is_alphanumeric() || n == '_' {
                    word.push(n);
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(word);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            tokens.push("::".into());
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
        }
    }
    tokens
}

/// The file a path names: the longest prefix of it that is a module.
fn resolve(modules: &BTreeMap<String, String>, from: &str, path: &[String]) -> Option<String> {
    let mut full: Vec<String> = Vec::new();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {}
        Some("self") => {
            full = from.split("::").map(str::to_string).collect();
            rest = &rest[1..];
        }
        Some("super") => {
            full = from.split("::").map(str::to_string).collect();
            while rest.first().map(String::as_str) == Some("super") {
                full.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    full.extend(rest.iter().cloned());
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|candidate| modules.contains_key(candidate))
}

/// A chain of imports from `from` to `to`, if there is one.
fn path_between(
    graph: &BTreeMap<&String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap().clone();
        if last == to {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(&last).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}

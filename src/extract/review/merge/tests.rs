//! Tests of `review merge`: what is carried over, refused and kept byte for byte.

use super::*;

const SOURCES: &str =
    "[(id: \"s\", title: \"S\", reliability: B), (id: \"t\", title: \"T\", reliability: B)]\n";

const CURATED: &str = r#"// People of the test.
(
    entities: [
        // The one to keep.
        Person(
            id: "ann",
            name: "Ann Example",
            sources: ["s"],
        ),
        Person(id: "bob", name: "Bob", sources: ["s"]),
        Place(id: "town", name: "Town", subkind: City, sources: ["s"]),
        Group(id: "cell", name: "Cell", subkind: Cell, sources: ["s"]),
    ],
    links: [
        (from: "ann", rel: MemberOf, to: "cell", certainty: Reported, sources: ["s"]),
        // Bob knew her.
        (from: "bob", rel: AssociateOf, to: "ann", certainty: Alleged, sources: ["s"]),
    ],
)
"#;

const EXTRACTED: &str = r#"(
    entities: [
        Person(id: "ann-example-2", name: "Anne Example", aliases: ["A. Example"], sources: ["t"], rule: "name", spans: [(file: "a.txt", start: 0, end: 4)]),
    ],
    links: [
        (from: "ann-example-2", rel: MemberOf, to: "cell", certainty: Reported, sources: ["t"], rule: "r"),
        (from: "ann-example-2", rel: TraveledTo, to: "town", certainty: Reported, sources: ["t"], rule: "r"),
        (from: "ann", rel: AssociateOf, to: "ann-example-2", certainty: Reported, sources: ["t"], rule: "r"),
    ],
)
"#;

fn folder(view: &str) -> Loaded {
    let mut loaded = crate::load::load_memory(&[
        ("sources.ron", SOURCES),
        ("curated/people.ron", CURATED),
        ("extracted/a.ron", EXTRACTED),
        ("views/v.ron", view),
    ]);
    let (more, _) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    assert!(!loaded.problems.iter().any(|p| p.is_error()), "{:?}", loaded.problems);
    loaded
}

fn index(loaded: &Loaded, id: &str) -> usize {
    loaded.dataset.entities.iter().position(|e| e.id.as_str() == id).unwrap()
}

fn after(plan: &Plan, name: &str) -> String {
    plan.writes.iter().find(|(p, _)| p.to_str() == Some(name)).map(|(_, t)| t.clone()).unwrap()
}

#[test]
fn a_merge_rewires_folds_duplicates_and_keeps_the_rest_byte_for_byte() {
    let loaded = folder("(title: \"V\", seeds: [\"ann-example-2\", \"bob\"], depth: 1)\n");
    let plan = plan(&loaded, index(&loaded, "ann"), index(&loaded, "ann-example-2")).unwrap();
    assert_eq!(plan.aliases_added, ["Anne Example", "A. Example", "ann-example-2"]);
    assert_eq!(plan.sources_added, ["t"]);
    assert_eq!(plan.links_rewired, ["ann-example-2/TraveledTo/town"]);
    assert_eq!(plan.links_dropped.len(), 2, "{:?}", plan.links_dropped);
    let curated = after(&plan, "curated/people.ron");
    // The kept record gains a field on its own line; the membership its source.
    let expected = CURATED
            .replace(
                "            sources: [\"s\"],\n        ),",
                "            sources: [\"s\", \"t\"],\n            aliases: [\"Anne Example\", \"A. Example\", \"ann-example-2\"],\n            rule: \"name\",\n            spans: [(file: \"a.txt\", start: 0, end: 4)],\n        ),",
            )
            .replace("to: \"cell\", certainty: Reported, sources: [\"s\"]", "to: \"cell\", certainty: Reported, sources: [\"s\", \"t\"]");
    assert_eq!(curated, expected);
    let extracted = after(&plan, "extracted/a.ron");
    assert_eq!(
        extracted,
        "(\n    entities: [\n    ],\n    links: [\n        (from: \"ann\", rel: TraveledTo, to: \"town\", certainty: Reported, sources: [\"t\"], rule: \"r\"),\n    ],\n)\n"
    );
    assert_eq!(after(&plan, "views/v.ron"), "(title: \"V\", seeds: [\"ann\", \"bob\"], depth: 1)\n");
    // The kept file is written first, the one losing a record last.
    assert_eq!(plan.writes[0].0.to_str(), Some("curated/people.ron"));
    assert_eq!(plan.writes.last().unwrap().0.to_str(), Some("extracted/a.ron"));
    let files: Vec<(&str, &str)> = vec![
        ("sources.ron", SOURCES),
        ("curated/people.ron", &curated),
        ("extracted/a.ron", &extracted),
        ("views/v.ron", "(title: \"V\", seeds: [\"ann\", \"bob\"], depth: 1)\n"),
    ];
    let mut merged = crate::load::load_memory(&files);
    let (more, _) = crate::validate::validate_with_ends(&merged);
    merged.problems.extend(more);
    assert!(!merged.problems.iter().any(|p| p.is_error()), "{:?}", merged.problems);
    let ann = &merged.dataset.entities[index(&merged, "ann")];
    assert_eq!(ann.aliases, ["Anne Example", "A. Example", "ann-example-2"]);
}

#[test]
fn a_seed_already_there_is_removed_not_doubled() {
    let loaded = folder("(title: \"V\", seeds: [\"ann\", \"ann-example-2\"], depth: 1)\n");
    let plan = plan(&loaded, index(&loaded, "ann"), index(&loaded, "ann-example-2")).unwrap();
    assert_eq!(after(&plan, "views/v.ron"), "(title: \"V\", seeds: [\"ann\"], depth: 1)\n");
}

#[test]
fn merges_of_different_kinds_of_the_same_entity_or_of_curated_into_extracted_are_refused() {
    let loaded = folder("(title: \"V\", seeds: [\"bob\"], depth: 1)\n");
    let (ann, town) = (index(&loaded, "ann"), index(&loaded, "town"));
    let extracted = index(&loaded, "ann-example-2");
    assert!(matches!(plan(&loaded, ann, town), Err(Refusal::Kinds { .. })));
    assert!(matches!(plan(&loaded, ann, ann), Err(Refusal::Same { .. })));
    let swapped = plan(&loaded, extracted, ann).unwrap_err();
    assert!(matches!(swapped, Refusal::Order { .. }));
    let help = miette::Diagnostic::help(&swapped).unwrap().to_string();
    assert_eq!(help, "keep the curated entity: `threatgraph review merge ann ann-example-2`");
}

#[test]
fn a_field_is_added_to_a_one_line_record() {
    let loaded = folder("(title: \"V\", seeds: [\"bob\"], depth: 1)\n");
    let plan = plan(&loaded, index(&loaded, "bob"), index(&loaded, "ann-example-2")).unwrap();
    let curated = after(&plan, "curated/people.ron");
    assert!(
            curated.contains(
                "Person(id: \"bob\", name: \"Bob\", sources: [\"s\", \"t\"], aliases: [\"Anne Example\", \"A. Example\", \"ann-example-2\"], rule: \"name\", spans: [(file: \"a.txt\", start: 0, end: 4)]),"
            ),
            "{curated}"
        );
}

/// Two people with details: KEEP written one field a line, OTHER on one line.
fn detailed(keep_extra: &str, other_extra: &str) -> Loaded {
    let curated = format!(
        "(\n    entities: [\n        Person(\n            id: \"keep\",\n            name: \"Keep Person\",\n            sources: [\"s\"],{keep_extra}\n        ),\n    ],\n)\n"
    );
    let extracted = format!(
        "(entities: [Person(id: \"other\", name: \"Other Person\", sources: [\"t\"]{other_extra})])\n"
    );
    let mut loaded = crate::load::load_memory(&[
        ("sources.ron", SOURCES),
        ("curated/p.ron", &curated),
        ("extracted/o.ron", &extracted),
    ]);
    let (more, _) = crate::validate::validate_with_ends(&loaded);
    loaded.problems.extend(more);
    assert!(!loaded.problems.iter().any(|p| p.is_error()), "{:?}", loaded.problems);
    loaded
}

#[test]
fn fields_the_kept_entity_lacks_are_carried_as_written_and_lists_are_united() {
    let loaded = detailed(
        "\n            born: \"1974-10-20\",\n            roles: [\"bomber\"],",
        ", summary: \"Said to be \\\"the driver\\\".\", born: \"1974-10-20\", died: \"2005-07-07\", roles: [\"bomber\", \"driver\"], status: Dead, external_ids: [\"ftm:q1\"]",
    );
    let plan = plan(&loaded, index(&loaded, "keep"), index(&loaded, "other")).unwrap();
    let carried: Vec<(&str, &str, bool)> =
        plan.fields_carried.iter().map(|c| (c.field, c.value.as_str(), c.items)).collect();
    assert_eq!(
        carried,
        [
            ("summary", "\"Said to be \\\"the driver\\\".\"", false),
            ("died", "\"2005-07-07\"", false),
            ("status", "Dead", false),
            ("roles", "\"driver\"", true),
            ("external_ids", "\"ftm:q1\"", true),
        ]
    );
    let curated = after(&plan, "curated/p.ron");
    assert_eq!(
        curated,
        "(\n    entities: [\n        Person(\n            id: \"keep\",\n            name: \"Keep Person\",\n            sources: [\"s\", \"t\"],\n            born: \"1974-10-20\",\n            roles: [\"bomber\", \"driver\"],\n            aliases: [\"Other Person\", \"other\"],\n            summary: \"Said to be \\\"the driver\\\".\",\n            external_ids: [\"ftm:q1\"],\n            died: \"2005-07-07\",\n            status: Dead,\n        ),\n    ],\n)\n"
    );
    let merged = crate::load::load_memory(&[
        ("sources.ron", SOURCES),
        ("curated/p.ron", &curated),
        ("extracted/o.ron", &after(&plan, "extracted/o.ron")),
    ]);
    assert!(!merged.problems.iter().any(|p| p.is_error()), "{:?}", merged.problems);
    let kept = &merged.dataset.entities[index(&merged, "keep")];
    assert_eq!(kept.summary.as_deref(), Some("Said to be \"the driver\"."));
    let person = kept.as_person().unwrap();
    assert_eq!(person.roles, ["bomber", "driver"]);
    assert_eq!(person.died.as_ref().map(|d| d.as_str()), Some("2005-07-07"));
    assert_eq!(person.status, Some(crate::model::Status::Dead));
    assert_eq!(kept.provenance.as_ref().unwrap().external_ids, ["ftm:q1"]);
    assert_eq!(kept.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ["s", "t"]);
}

#[test]
fn different_values_of_one_field_refuse_the_merge_naming_each() {
    let loaded = detailed(
        "\n            born: \"1974\",\n            status: Dead,\n            summary: \"One.\",",
        ", born: \"1975\", status: Dead, summary: \"Two.\"",
    );
    let refusal = plan(&loaded, index(&loaded, "keep"), index(&loaded, "other")).unwrap_err();
    assert!(matches!(refusal, Refusal::Conflicts { fields: "these fields", .. }), "{refusal:?}");
    assert_eq!(
        refusal.to_string(),
        "`keep` and `other` say different things in these fields, and a merged entity holds one value of each:\n  summary:\n    `keep` (curated/p.ron:9:22): \"One.\"\n    `other` (extracted/o.ron:1:108): \"Two.\"\n  born:\n    `keep` (curated/p.ron:7:19): \"1974\"\n    `other` (extracted/o.ron:1:77): \"1975\""
    );
    // The same date, however it is written, is no conflict.
    let loaded = detailed("\n            born: \"1974\",", ", born: \"1974\", status: Alive");
    let plan = plan(&loaded, index(&loaded, "keep"), index(&loaded, "other")).unwrap();
    assert_eq!(plan.fields_carried.len(), 1, "{:?}", plan.fields_carried);
}

#[test]
fn groups_of_different_sorts_conflict_and_the_extraction_rule_never_does() {
    let files = [
        ("sources.ron", SOURCES),
        (
            "extracted/g.ron",
            "(entities: [\n    Group(id: \"a\", name: \"A\", subkind: Cell, sources: [\"s\"], rule: \"one\"),\n    Group(id: \"b\", name: \"B\", subkind: Network, sources: [\"t\"], rule: \"two\"),\n    Group(id: \"c\", name: \"C\", subkind: Cell, sources: [\"t\"], rule: \"two\", ideology: Jihadist),\n])\n",
        ),
    ];
    let loaded = crate::load::load_memory(&files);
    let refusal = plan(&loaded, index(&loaded, "a"), index(&loaded, "b")).unwrap_err();
    assert!(
            refusal.to_string().ends_with(
                "in one field, and a merged entity holds one value of each:\n  subkind:\n    `a` (extracted/g.ron:2:40): Cell\n    `b` (extracted/g.ron:3:40): Network"
            ),
            "{refusal}"
        );
    let plan = plan(&loaded, index(&loaded, "a"), index(&loaded, "c")).unwrap();
    let carried: Vec<&str> = plan.fields_carried.iter().map(|c| c.field).collect();
    assert_eq!(carried, ["ideology"]);
    let text = after(&plan, "extracted/g.ron");
    assert!(text.contains("rule: \"one\", aliases: [\"C\"], ideology: Jihadist),"), "{text}");
}

#[test]
fn a_folded_link_gives_the_one_kept_its_sources_and_where_it_was_read() {
    let files = [
        ("sources.ron", SOURCES),
        (
            "curated/c.ron",
            "(entities: [Person(id: \"a\", name: \"A Person\", sources: [\"s\"]), Place(id: \"x\", name: \"X\", subkind: City, sources: [\"s\"])],\n links: [(from: \"a\", rel: TraveledTo, to: \"x\", certainty: Reported, sources: [\"s\"])])\n",
        ),
        (
            "extracted/e.ron",
            "(entities: [Person(id: \"b\", name: \"B Person\", sources: [\"t\"])],\n links: [(from: \"b\", rel: TraveledTo, to: \"x\", certainty: Reported, sources: [\"t\"], rule: \"r\", spans: [(file: \"a.txt\", start: 3, end: 9)], external_ids: [\"ftm:l\"])])\n",
        ),
    ];
    let loaded = crate::load::load_memory(&files);
    assert!(!loaded.problems.iter().any(|p| p.is_error()), "{:?}", loaded.problems);
    let plan = plan(&loaded, index(&loaded, "a"), index(&loaded, "b")).unwrap();
    assert_eq!(
        after(&plan, "curated/c.ron").lines().nth(1),
        Some(
            " links: [(from: \"a\", rel: TraveledTo, to: \"x\", certainty: Reported, sources: [\"s\", \"t\"], spans: [(file: \"a.txt\", start: 3, end: 9)], external_ids: [\"ftm:l\"])])"
        )
    );
}

/// A file of people written in one of several layouts, with comments between records,
/// and links among them: (layout per person, links as (from, to, relation number)).
fn people_file(layouts: &[u8], links: &[(usize, usize, bool)]) -> String {
    let mut out = String::from("// People.\n(\n    entities: [\n");
    for (i, layout) in layouts.iter().enumerate() {
        let name = format!("Person Number{i}");
        match layout % 3 {
                0 => out.push_str(&format!(
                    "        Person(id: \"p{i}\", name: \"{name}\", sources: [\"s\"]),\n"
                )),
                1 => out.push_str(&format!(
                    "        // Number {i}.\n        Person(\n            id: \"p{i}\",\n            name: \"{name}\",\n            aliases: [\"N{i}\"],\n            sources: [\"s\"]\n        ),\n"
                )),
                _ => out.push_str(&format!(
                    "        Person(id: \"p{i}\", name: \"{name}\", aliases: [], sources: [\"t\"],),\n"
                )),
            }
    }
    out.push_str("    ],\n    links: [\n");
    for &(a, b, symmetric) in links {
        let rel = if symmetric { "AssociateOf" } else { "Recruited" };
        out.push_str(&format!(
            "        (from: \"p{a}\", rel: {rel}, to: \"p{b}\", certainty: Reported, sources: [\"s\"]),\n"
        ));
    }
    out.push_str("    ],\n)\n");
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the layout: the merged folder loads without error, OTHER is gone and
    /// named nowhere, KEEP answers to OTHER's name, no link is lost but folded ones, and
    /// every record the merge does not concern is in the file as it was.
    #[test]
    fn merges_round_trip(
        layouts in proptest::collection::vec(0u8..3, 2..7),
        raw_links in proptest::collection::vec((0usize..7, 0usize..7, proptest::bool::ANY), 0..10),
        pick in (0usize..7, 0usize..7),
    ) {
        let n = layouts.len();
        let links: Vec<(usize, usize, bool)> =
            raw_links.into_iter().map(|(a, b, s)| (a % n, b % n, s)).filter(|(a, b, _)| a != b).collect();
        let (keep, other) = (pick.0 % n, pick.1 % n);
        proptest::prop_assume!(keep != other);
        let text = people_file(&layouts, &links);
        let mut loaded = crate::load::load_memory(&[("sources.ron", SOURCES), ("curated/p.ron", &text)]);
        let (more, _) = crate::validate::validate_with_ends(&loaded);
        loaded.problems.extend(more);
        proptest::prop_assume!(!loaded.problems.iter().any(|p| p.is_error()));
        let plan = plan(&loaded, index(&loaded, &format!("p{keep}")), index(&loaded, &format!("p{other}"))).unwrap();
        let after = after(&plan, "curated/p.ron");
        let mut merged = crate::load::load_memory(&[("sources.ron", SOURCES), ("curated/p.ron", &after)]);
        let (more, _) = crate::validate::validate_with_ends(&merged);
        merged.problems.extend(more);
        proptest::prop_assert!(!merged.problems.iter().any(|p| p.is_error()), "{:?}\n{}", merged.problems, after);
        let d = &merged.dataset;
        let other_id = format!("p{other}");
        proptest::prop_assert!(d.entities.iter().all(|e| e.id.as_str() != other_id));
        proptest::prop_assert!(d.links.iter().all(|l| l.from.as_str() != other_id && l.to.as_str() != other_id));
        let kept = &d.entities[index(&merged, &format!("p{keep}"))];
        let other_name = format!("Person Number{other}");
        proptest::prop_assert!(kept.aliases.contains(&other_name));
        proptest::prop_assert_eq!(d.links.len() + plan.links_dropped.len(), links.len());
        // Records that name neither entity are there verbatim.
        for line in text.lines().filter(|l| l.contains("from:") || l.contains("Person(id:")) {
            let concerned = [format!("\"p{keep}\""), format!("\"p{other}\"")].iter().any(|id| line.contains(id.as_str()));
            if !concerned {
                proptest::prop_assert!(after.contains(line), "{} lost:\n{}", line, after);
            }
        }
    }
}

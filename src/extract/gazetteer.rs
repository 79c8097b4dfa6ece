//! The places the extractor knows without the graph: countries, regions and major cities,
//! shipped as data (`gazetteer.tsv`: name, kind, country, aliases, demonyms; tab-separated).

use crate::model::PlaceType;

const DATA: &str = include_str!("gazetteer.tsv");

#[derive(Clone, Debug)]
pub struct Place {
    pub name: &'static str,
    pub kind: PlaceType,
    /// The country a city or region lies in, when it lies in one.
    pub country: Option<&'static str>,
    pub aliases: Vec<&'static str>,
    /// Nationality words: "British", "Briton".
    pub demonyms: Vec<&'static str>,
}

/// Every place of the gazetteer, in file order. Malformed lines are skipped (a unit test
/// makes sure there are none).
pub fn places() -> Vec<Place> {
    DATA.lines().filter_map(parse).collect()
}

fn parse(line: &'static str) -> Option<Place> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let cols: Vec<&'static str> = line.split('\t').collect();
    let list = |i: usize| -> Vec<&'static str> {
        cols.get(i).map_or(Vec::new(), |c| c.split(';').map(str::trim).filter(|s| !s.is_empty()).collect())
    };
    let kind = match *cols.get(1)? {
        "Country" => PlaceType::Country,
        "Region" => PlaceType::Region,
        "City" => PlaceType::City,
        _ => return None,
    };
    Some(Place {
        name: cols.first()?.trim(),
        kind,
        country: cols.get(2).map(|c| c.trim()).filter(|c| !c.is_empty()),
        aliases: list(3),
        demonyms: list(4),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses_and_names_are_unique() {
        let lines = DATA.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
        let places = places();
        assert_eq!(places.len(), lines, "a line of gazetteer.tsv does not parse");
        let mut names = std::collections::HashSet::new();
        for p in &places {
            assert!(names.insert(p.name), "{} twice", p.name);
            if let Some(c) = p.country {
                assert!(
                    places.iter().any(|q| q.name == c && q.kind == PlaceType::Country),
                    "{c} of {}",
                    p.name
                );
            }
        }
        assert!(places.iter().filter(|p| p.kind == PlaceType::Country).count() >= 190);
    }
}

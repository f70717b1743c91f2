//! Bar charts drawn on the server as SVG (issue 17, item 1): the geometry of one bar per day in
//! whole units of a fixed view box, so the page needs no script and no chart library. Each
//! chart's figures are also a table beside it.

/// The view box: bars stand on the base line, under a top margin for the largest value.
const WIDTH: i64 = 300;
const HEIGHT: i64 = 120;
const TOP: i64 = 14;
const BASE: i64 = 100;

/// One bar: its box in the view box and what it says on hover (date and count).
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub label: String,
}

/// A chart of one figure per day, and the same figures as table rows.
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub total: i64,
    pub max: i64,
    pub bars: Vec<Bar>,
    /// (day, count) for the table behind the chart.
    pub rows: Vec<(String, i64)>,
    /// The first and the last day's names under the bars.
    pub first: String,
    pub last: String,
}

impl BarChart {
    pub const WIDTH: i64 = WIDTH;
    pub const HEIGHT: i64 = HEIGHT;
    pub const BASE: i64 = BASE;

    /// A chart of `(day's name, count)` in order.
    pub fn new(id: &'static str, title: String, days: Vec<(String, i64)>) -> Self {
        let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0).max(0);
        let slots = i64::try_from(days.len()).unwrap_or(1).max(1);
        let slot = WIDTH / slots;
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, (day, n))| {
                let height = if max == 0 {
                    0
                } else {
                    // Rounded to the nearest unit; a day with any count shows at least 1 unit.
                    ((n.max(&0) * (BASE - TOP) * 2 + max) / (2 * max)).max(i64::from(*n > 0))
                };
                let x = i64::try_from(i).unwrap_or(0) * slot + 1;
                Bar {
                    x,
                    y: BASE - height,
                    width: (slot - 2).max(1),
                    height,
                    label: format!("{day}: {n}"),
                }
            })
            .collect();
        Self {
            id,
            title,
            total: days.iter().map(|(_, n)| n).sum(),
            max,
            bars,
            first: days.first().map(|(d, _)| d.clone()).unwrap_or_default(),
            last: days.last().map(|(d, _)| d.clone()).unwrap_or_default(),
            rows: days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_day_and_any_count_shows() {
        let days = vec![
            ("1".to_owned(), 0),
            ("2".to_owned(), 1),
            ("3".to_owned(), 200),
        ];
        let chart = BarChart::new("c", "t".to_owned(), days);
        let heights: Vec<i64> = chart.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights, [0, 1, BASE - TOP]);
        assert_eq!(chart.bars[2].y, TOP);
        assert_eq!((chart.total, chart.max), (201, 200));
        assert_eq!(chart.bars[1].x, WIDTH / 3 + 1);
        assert_eq!(chart.bars[1].label, "2: 1");
    }
}

//! Small, dependency-free SVG chart builders for the HTML report: a horizontal bar chart
//! and a grouped horizontal bar chart with a legend.
//!
//! Charts have a fixed width ([`WIDTH`]) and a height that follows the number of rows; a
//! `viewBox` lets them scale down with the page. Text is black on a white page, bars use
//! muted colours, and the font is the reader's own (`system-ui, sans-serif`), so a chart
//! prints as it shows and needs nothing from the network. Every text is escaped.

use std::fmt::Write as _;

/// Width of every chart, in SVG user units (CSS pixels at 100 %).
pub const WIDTH: f64 = 760.0;

/// Text shown, in place of bars, when a chart has nothing to show.
pub const NO_DATA: &str = "No data for this period";

/// Width of the label column on the left: room for a legal ground's full citation
/// ("Prevention of Electronic Crimes Act 2016 s.10") at 12 px.
const LABEL_W: f64 = 300.0;
/// Room on the right for the value printed after the longest bar.
const VALUE_W: f64 = 80.0;
/// Space above and below the rows.
const PAD: f64 = 8.0;
/// Height of one bar of a plain bar chart, and the step from one row to the next.
const BAR_H: f64 = 16.0;
const ROW_H: f64 = 24.0;
/// Height of one bar in a group, the gap between bars of a group, and between groups.
const GROUP_BAR_H: f64 = 12.0;
const GROUP_BAR_GAP: f64 = 2.0;
const GROUP_GAP: f64 = 12.0;
/// Height of the legend line.
const LEGEND_H: f64 = 24.0;
/// Labels longer than this many characters are shortened with an ellipsis.
const LABEL_MAX_CHARS: usize = 46;

/// Colour of single-series bars.
const BAR_COLOUR: &str = "#5b7fa6";
/// Colours of the series of a grouped chart, in order (muted, distinct in grey print).
const SERIES_COLOURS: [&str; 6] = [
    "#5b7fa6", "#d0a25a", "#9a9a9a", "#6f9e78", "#a07a9c", "#b86f5f",
];
/// Colour of all text.
const TEXT_COLOUR: &str = "#000";
/// Colour of the axis line and of the "no data" text.
const AXIS_COLOUR: &str = "#666";

/// How the values of a chart are printed (and scaled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    /// Counts and other plain numbers: `3`, `2.5`.
    Number,
    /// Fractions shown as percentages: `0.25` → `25%`, `1/3` → `33.3%`. Bars are scaled to
    /// 100 % so charts of shares compare at a glance.
    Percent,
    /// Durations in hours: `5.5 h` under 48 hours, `2 d 3 h` from 48 hours on.
    Hours,
}

impl ValueFormat {
    /// The printed form of `value`; `n/a` when there is none.
    pub fn format(self, value: Option<f64>) -> String {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return "n/a".to_string();
        };
        match self {
            ValueFormat::Number => trim_decimals(v, 2),
            ValueFormat::Percent => format!("{}%", trim_decimals(v * 100.0, 1)),
            ValueFormat::Hours => format_hours(v),
        }
    }
}

/// A duration in hours for people: `5.5 h` under 48 hours, otherwise whole days and hours
/// (`2 d 3 h`, or `3 d` when the hours round to none).
pub fn format_hours(hours: f64) -> String {
    if !hours.is_finite() {
        return "n/a".to_string();
    }
    if hours < 48.0 {
        return format!("{} h", trim_decimals(hours, 1));
    }
    let whole = hours.round() as u64;
    let (d, h) = (whole / 24, whole % 24);
    if h == 0 {
        format!("{d} d")
    } else {
        format!("{d} d {h} h")
    }
}

/// `v` rounded to at most `decimals` decimals, without trailing zeros (`0.30000000000000004`
/// → `0.3`, `2.0` → `2`). Never prints `-0`.
pub fn trim_decimals(v: f64, decimals: usize) -> String {
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

/// Escapes text for XML and HTML (`&`, `<`, `>`, `"`, `'`), and drops the control
/// characters XML does not allow.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One bar of a [`bar_chart`]: a label and its value (`None` prints `n/a` and draws no bar).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The row's label, as shown.
    pub label: String,
    /// The row's value, if any.
    pub value: Option<f64>,
}

impl Bar {
    /// A bar with a value.
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Bar {
            label: label.into(),
            value: Some(value),
        }
    }

    /// A bar whose value may be missing.
    pub fn maybe(label: impl Into<String>, value: Option<f64>) -> Self {
        Bar {
            label: label.into(),
            value,
        }
    }
}

/// A horizontal bar chart: one row per bar, label on the left, the value printed at the
/// end of the bar. `title` names the chart for screen readers (`<title>`, `aria-label`).
/// With no bars, or no values at all, it shows [`NO_DATA`] instead.
pub fn bar_chart(title: &str, bars: &[Bar], format: ValueFormat) -> String {
    if bars.iter().all(|b| value_of(b.value).is_none()) {
        return no_data(title);
    }
    let scale = Scale::new(bars.iter().filter_map(|b| value_of(b.value)), format);
    let height = (2.0 * PAD + bars.len() as f64 * ROW_H).ceil();
    let mut svg = open(title, height);
    for (i, bar) in bars.iter().enumerate() {
        let top = PAD + i as f64 * ROW_H;
        let mid = top + ROW_H / 2.0;
        label(&mut svg, &bar.label, mid);
        value_bar(
            &mut svg,
            top + (ROW_H - BAR_H) / 2.0,
            BAR_H,
            bar.value,
            &scale,
            format,
            BAR_COLOUR,
        );
    }
    axis(&mut svg, PAD, height - PAD);
    svg.push_str("</svg>");
    svg
}

/// One category of a [`grouped_bar_chart`]: its label and one value per series.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The category's label, as shown.
    pub label: String,
    /// One value per series, in the order of the series; missing ones draw no bar.
    pub values: Vec<Option<f64>>,
}

/// A grouped horizontal bar chart: per category, one thin bar per series with its value at
/// the end, and a legend naming the series (by colour) above. `title` names the chart for
/// screen readers. With no categories, or no values at all, it shows [`NO_DATA`] instead.
pub fn grouped_bar_chart(
    title: &str,
    series: &[&str],
    groups: &[Group],
    format: ValueFormat,
) -> String {
    let n = series.len().max(1);
    if series.is_empty()
        || groups
            .iter()
            .all(|g| g.values.iter().all(|v| value_of(*v).is_none()))
    {
        return no_data(title);
    }
    let scale = Scale::new(
        groups
            .iter()
            .flat_map(|g| g.values.iter().take(n).filter_map(|v| value_of(*v))),
        format,
    );
    let group_h = n as f64 * GROUP_BAR_H + (n - 1) as f64 * GROUP_BAR_GAP;
    let rows_top = PAD + LEGEND_H;
    let height = (rows_top + groups.len() as f64 * (group_h + GROUP_GAP) + PAD).ceil();
    let mut svg = open(title, height);

    // Legend: a swatch and the series' name, left to right.
    let mut x = LABEL_W;
    for (i, name) in series.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{colour}"/><text x="{:.1}" y="{:.1}" fill="{TEXT_COLOUR}">{}</text>"#,
            PAD + 2.0,
            x + 16.0,
            PAD + 12.0,
            escape(name),
        );
        // An estimate of the name's width: enough for the system font at 12 px.
        x += 16.0 + 7.0 * name.chars().count() as f64 + 16.0;
    }

    for (i, group) in groups.iter().enumerate() {
        let top = rows_top + GROUP_GAP / 2.0 + i as f64 * (group_h + GROUP_GAP);
        label(&mut svg, &group.label, top + group_h / 2.0);
        for (j, _) in series.iter().enumerate() {
            let value = group.values.get(j).copied().flatten();
            value_bar(
                &mut svg,
                top + j as f64 * (GROUP_BAR_H + GROUP_BAR_GAP),
                GROUP_BAR_H,
                value,
                &scale,
                format,
                SERIES_COLOURS[j % SERIES_COLOURS.len()],
            );
        }
    }
    axis(&mut svg, rows_top, height - PAD);
    svg.push_str("</svg>");
    svg
}

/// A finite value, or none.
fn value_of(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// Maps values to bar lengths: from 0 to the largest value (to 100 % for percentages).
struct Scale {
    max: f64,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>, format: ValueFormat) -> Self {
        let largest = values.fold(0.0_f64, f64::max);
        let max = match format {
            ValueFormat::Percent => largest.max(1.0),
            _ if largest > 0.0 => largest,
            _ => 1.0,
        };
        Scale { max }
    }

    /// The length of the bar for `v`.
    fn length(&self, v: f64) -> f64 {
        (v.max(0.0) / self.max).min(1.0) * (WIDTH - LABEL_W - VALUE_W)
    }
}

/// The opening `<svg>` tag and the chart's title.
fn open(title: &str, height: f64) -> String {
    let title = escape(title);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{title}" font-family="system-ui, sans-serif" font-size="12"><title>{title}</title>"#
    )
}

/// A chart that has nothing to show: one short line of muted text.
fn no_data(title: &str) -> String {
    let mut svg = open(title, 32.0);
    let _ = write!(
        svg,
        r#"<text x="{PAD}" y="20" fill="{AXIS_COLOUR}" font-style="italic">{NO_DATA}</text></svg>"#
    );
    svg
}

/// A row's label, right-aligned against the bars, shortened when too long.
fn label(svg: &mut String, text: &str, mid: f64) {
    let shown: String = if text.chars().count() > LABEL_MAX_CHARS {
        let mut s: String = text.chars().take(LABEL_MAX_CHARS - 1).collect();
        s.push('…');
        s
    } else {
        text.to_string()
    };
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end" dominant-baseline="middle" fill="{TEXT_COLOUR}">{}</text>"#,
        LABEL_W - 8.0,
        mid,
        escape(&shown),
    );
}

/// One bar starting at the axis, `top`..`top + h`, with its printed value after its end.
fn value_bar(
    svg: &mut String,
    top: f64,
    h: f64,
    value: Option<f64>,
    scale: &Scale,
    format: ValueFormat,
    colour: &str,
) {
    let value = value_of(value);
    let len = value.map_or(0.0, |v| scale.length(v));
    if len > 0.0 {
        let _ = write!(
            svg,
            r#"<rect x="{LABEL_W:.1}" y="{top:.1}" width="{len:.1}" height="{h:.1}" fill="{colour}"/>"#
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" dominant-baseline="middle" fill="{TEXT_COLOUR}">{}</text>"#,
        LABEL_W + len + 4.0,
        top + h / 2.0,
        escape(&format.format(value)),
    );
}

/// The vertical axis line the bars start from.
fn axis(svg: &mut String, top: f64, bottom: f64) {
    let _ = write!(
        svg,
        r#"<line x1="{LABEL_W}" y1="{top:.1}" x2="{LABEL_W}" y2="{bottom:.1}" stroke="{AXIS_COLOUR}" stroke-width="1"/>"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_trimmed_and_rounded() {
        assert_eq!(trim_decimals(0.1 + 0.2, 4), "0.3");
        assert_eq!(trim_decimals(2.0, 2), "2");
        assert_eq!(trim_decimals(-0.0001, 2), "0");
        assert_eq!(ValueFormat::Percent.format(Some(1.0 / 3.0)), "33.3%");
        assert_eq!(ValueFormat::Percent.format(None), "n/a");
        assert_eq!(format_hours(5.5), "5.5 h");
        assert_eq!(format_hours(51.2), "2 d 3 h");
        assert_eq!(format_hours(72.0), "3 d");
    }

    #[test]
    fn long_labels_keep_what_tells_them_apart() {
        let bars = [
            Bar::new("Prevention of Electronic Crimes Act 2016 s.10", 3.0),
            Bar::new("Prevention of Electronic Crimes Act 2016 s.12", 3.0),
            Bar::new("x".repeat(60), 1.0),
        ];
        let svg = bar_chart("grounds", &bars, ValueFormat::Number);
        assert!(svg.contains(">Prevention of Electronic Crimes Act 2016 s.10<"));
        assert!(svg.contains(">Prevention of Electronic Crimes Act 2016 s.12<"));
        assert!(svg.contains(&format!(">{}…<", "x".repeat(45))));
    }

    #[test]
    fn bar_chart_escapes_and_grows_with_rows() {
        let one = bar_chart("t", &[Bar::new("a<b&\"c\"", 3.0)], ValueFormat::Number);
        let two = bar_chart(
            "t",
            &[Bar::new("x", 1.0), Bar::new("y", 2.0)],
            ValueFormat::Number,
        );
        assert!(one.contains("a&lt;b&amp;&quot;c&quot;"), "{one}");
        assert!(!one.contains("a<b"));
        assert_eq!(one.matches("<rect").count(), 1);
        assert_eq!(two.matches("<rect").count(), 2);
        assert!(one.contains(r#"height="40""#), "{one}");
        assert!(two.contains(r#"height="64""#), "{two}");
        assert!(!one.contains(NO_DATA));
    }

    #[test]
    fn empty_charts_say_so() {
        assert!(bar_chart("t", &[], ValueFormat::Number).contains(NO_DATA));
        assert!(bar_chart("t", &[Bar::maybe("x", None)], ValueFormat::Percent).contains(NO_DATA));
        assert!(grouped_bar_chart("t", &["a", "b"], &[], ValueFormat::Number).contains(NO_DATA));
    }

    #[test]
    fn grouped_chart_has_a_legend_and_a_bar_per_value() {
        let svg = grouped_bar_chart(
            "t",
            &["One", "Two"],
            &[
                Group {
                    label: "p".into(),
                    values: vec![Some(1.0), Some(2.0)],
                },
                Group {
                    label: "q".into(),
                    values: vec![Some(0.0), None],
                },
            ],
            ValueFormat::Number,
        );
        // Two legend swatches and the two non-zero bars (zero and missing draw none).
        assert_eq!(svg.matches("<rect").count(), 2 + 2);
        assert!(svg.contains(">One</text>") && svg.contains(">Two</text>"));
        assert!(svg.contains(">n/a</text>"));
    }
}

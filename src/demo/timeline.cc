#include "demo/timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/strings.h"
#include "common/units.h"

namespace lifeboat {
namespace {

constexpr int kWidth = 1100;
constexpr int kLabelWidth = 300;  // instance id and design
constexpr int kRightWidth = 250;  // the outcome, right of the bars
constexpr int kTop = 64;          // title and axis
constexpr int kRowHeight = 38;
constexpr int kBarHeight = 16;
constexpr int kLegendHeight = 56;

struct StateStyle {
  const char* state;
  const char* color;
  const char* label;
};

constexpr StateStyle kStyles[] = {
    {"Pending", "#c7ccd1", "Pending"},
    {"InService", "#5cb85c", "InService"},
    {"Terminating:Wait", "#f0ad4e", "Terminating:Wait (held by the hook)"},
    {"Terminating:Proceed", "#d9534f", "Terminating:Proceed (stopping)"},
};

const char* ColorOf(const std::string& state) {
  for (const auto& s : kStyles) {
    if (state == s.state) return s.color;
  }
  return "#e0e0e0";
}

std::string ModeLabel(const std::string& mode) {
  if (mode == "lifeboat-agent") return "lifeboat agent";
  if (mode == "lifeboat-controller") return "lifeboat controller";
  if (mode == "seed") return "seed (aws s3 cp)";
  return mode;
}

// The outcome of one instance in two short lines.
std::pair<std::string, std::string> Outcome(const InstanceTimeline& row,
                                            std::optional<double> scale_in_at, uint64_t shipped) {
  const std::string bytes = FormatBytes(shipped) + " shipped";
  if (!row.scaled_in) return {"kept running", bytes};
  std::string first = "not Terminated yet";
  if (row.terminated_at && scale_in_at) {
    first = fmt::format("Terminated {:.2f} s after scale-in", *row.terminated_at - *scale_in_at);
  }
  std::string second = bytes;
  if (row.lines_written > 0) {
    second = (row.lines_lost == 0
                  ? std::string("no line lost")
                  : fmt::format("{} of {} lines lost", row.lines_lost, row.lines_written)) +
             ", " + bytes;
  }
  return {first, second};
}

// Seconds between axis ticks, so that there are about eight.
double TickStep(double end) {
  for (double step : {0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0}) {
    if (end / step <= 10) return step;
  }
  return 600;
}

}  // namespace

std::string RenderTimelineSvg(const DemoTimeline& t) {
  const double end = std::max(t.end, 1.0);
  const int plot_width = kWidth - kLabelWidth - kRightWidth;
  const int rows = static_cast<int>(t.instances.size());
  const int height = kTop + rows * kRowHeight + kLegendHeight;
  auto x = [&](double seconds) {
    return kLabelWidth + plot_width * std::clamp(seconds / end, 0.0, 1.0);
  };

  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n",
      kWidth, height, kWidth, height);
  s += fmt::format("<title>{}</title>\n", XmlEscape(t.title));
  s += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", kWidth, height);
  s += fmt::format("<text x=\"12\" y=\"22\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                   XmlEscape(t.title));

  // Axis: seconds since the demo started.
  const double step = TickStep(end);
  for (double sec = 0; sec <= end + 1e-9; sec += step) {
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#eeeeee\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#666\">{4:g} s</text>\n",
        x(sec), kTop - 8, kTop + rows * kRowHeight, kTop - 12, sec);
  }

  for (int i = 0; i < rows; ++i) {
    const InstanceTimeline& row = t.instances[static_cast<size_t>(i)];
    const int top = kTop + i * kRowHeight;
    const int bar_y = top + (kRowHeight - kBarHeight) / 2;
    s += fmt::format("<g class=\"instance\" data-instance=\"{}\">\n", XmlEscape(row.instance_id));
    if (i % 2 == 1) {
      s += fmt::format("<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f7f8fa\"/>\n",
                       top, kWidth, kRowHeight);
    }
    s += fmt::format("<text x=\"12\" y=\"{}\" font-family=\"monospace\">{}</text>\n", top + 16,
                     XmlEscape(row.instance_id));
    s += fmt::format("<text x=\"12\" y=\"{}\" fill=\"#555\">{}</text>\n", top + 30,
                     XmlEscape(ModeLabel(row.mode)));
    for (const TimelineInterval& iv : row.states) {
      if (iv.state == "Terminated") continue;
      const double x0 = x(iv.start), x1 = std::max(x(iv.end), x0 + 1.0);
      s += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" rx=\"2\">"
          "<title>{} {} {:.2f}-{:.2f} s</title></rect>\n",
          x0, bar_y, x1 - x0, kBarHeight, ColorOf(iv.state), XmlEscape(row.instance_id),
          XmlEscape(iv.state), iv.start, iv.end);
    }
    if (row.evacuation_start && row.evacuation_end) {
      const double x0 = x(*row.evacuation_start);
      const double x1 = std::max(x(*row.evacuation_end), x0 + 2.0);
      s += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"4\" fill=\"#1f6fb2\">"
          "<title>logs shipped {:.2f}-{:.2f} s</title></rect>\n",
          x0, bar_y + kBarHeight + 2, x1 - x0, *row.evacuation_start, *row.evacuation_end);
    }
    if (row.terminated_at) {
      s += fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" fill=\"#333\" font-size=\"14\">&#x2715;</text>\n",
          x(*row.terminated_at) + 2, bar_y + 13);
    }
    const uint64_t shipped = row.shipped.empty() ? 0 : row.shipped.back().bytes;
    const auto [first, second] = Outcome(row, t.scale_in_at, shipped);
    s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>\n", kWidth - kRightWidth + 14,
                     top + 16, XmlEscape(first));
    s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>\n", kWidth - kRightWidth + 14,
                     top + 30, row.scaled_in && row.lines_lost > 0 ? "#c9302c" : "#2d6a2d",
                     XmlEscape(second));
    s += "</g>\n";
  }

  const int plot_bottom = kTop + rows * kRowHeight;
  if (t.scale_in_at) {
    s += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#222\" "
        "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" "
        "font-weight=\"bold\">scale-in</text>\n",
        x(*t.scale_in_at), kTop - 4, plot_bottom, kTop - 26);
    if (t.heartbeat_timeout > 0 && *t.scale_in_at + t.heartbeat_timeout <= end) {
      s += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#a94442\" "
          "stroke-dasharray=\"2 3\"/>"
          "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" fill=\"#a94442\">heartbeat "
          "timeout</text>\n",
          x(*t.scale_in_at + t.heartbeat_timeout), kTop - 4, plot_bottom, kTop - 26);
    }
  }

  // Legend.
  int lx = 12;
  const int ly = plot_bottom + 24;
  for (const auto& style : kStyles) {
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"12\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        lx, ly - 10, style.color, lx + 18, ly, XmlEscape(style.label));
    lx += 34 + static_cast<int>(std::strlen(style.label)) * 6;
  }
  s += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"#1f6fb2\"/>"
      "<text x=\"{}\" y=\"{}\">logs shipping after the scale-in</text>\n",
      lx, ly - 6, lx + 18, ly);
  s += fmt::format(
      "<text x=\"12\" y=\"{}\" fill=\"#666\">&#x2715; Terminated. Seconds since "
      "the demo started.</text>\n",
      ly + 20);
  s += "</svg>\n";
  return s;
}

std::string RenderTimelineHtml(const DemoTimeline& t) {
  std::string svg = RenderTimelineSvg(t);
  svg.erase(0, svg.find("<svg"));  // inline: no XML declaration
  std::string rows;
  for (const InstanceTimeline& row : t.instances) {
    std::string to_terminated = "-";
    if (row.scaled_in && row.terminated_at && t.scale_in_at) {
      to_terminated = fmt::format("{:.2f} s", *row.terminated_at - *t.scale_in_at);
    }
    auto measured = [&](std::string value) { return row.scaled_in ? value : std::string("-"); };
    rows += fmt::format(
        "<tr class=\"instance-row\" data-instance=\"{0}\"><td><code>{0}</code></td><td>{1}</td>"
        "<td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td><td>{6}</td><td>{7}</td></tr>\n",
        XmlEscape(row.instance_id), XmlEscape(ModeLabel(row.mode)),
        row.scaled_in ? "scaled in" : "kept", measured(FormatBytes(row.bytes_written)),
        measured(FormatBytes(row.bytes_stored)), measured(std::to_string(row.lines_written)),
        measured(std::to_string(row.lines_lost)), to_terminated);
  }
  return fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{0}</title>
<style>
body {{ font-family: sans-serif; margin: 24px; color: #222; }}
table {{ border-collapse: collapse; margin-top: 16px; }}
th, td {{ padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: right;
          white-space: nowrap; }}
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) {{ text-align: left; }}
tr.instance-row.hover, g.instance.hover rect {{ opacity: 0.75; }}
tr.instance-row.hover {{ background: #eef4fb; }}
</style>
</head>
<body>
<h1>{0}</h1>
<p>Each row is an instance; the bars are its lifecycle states as Auto Scaling reported them.
The dashed line is the scale-in decision; the blue line under a bar is its logs being shipped
after it.</p>
{1}
<table id="instances">
<thead><tr><th>instance</th><th>design</th><th>scale-in</th><th>bytes written</th><th>bytes stored</th>
<th>lines written</th><th>lines lost</th><th>scale-in to Terminated</th></tr></thead>
<tbody>
{2}</tbody>
</table>
<script>
(function () {{
  function rowsOf(id) {{
    return document.querySelectorAll('[data-instance="' + id + '"]');
  }}
  document.querySelectorAll('[data-instance]').forEach(function (el) {{
    var id = el.getAttribute('data-instance');
    el.addEventListener('mouseenter', function () {{
      rowsOf(id).forEach(function (r) {{ r.classList.add('hover'); }});
    }});
    el.addEventListener('mouseleave', function () {{
      rowsOf(id).forEach(function (r) {{ r.classList.remove('hover'); }});
    }});
  }});
  document.body.setAttribute('data-ready', String(document.querySelectorAll('tr.instance-row').length));
}})();
</script>
</body>
</html>
)",
                     XmlEscape(t.title), svg, rows);
}

}  // namespace lifeboat

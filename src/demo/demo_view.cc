#include "demo/demo_view.h"

#include <fmt/format.h>

#include "common/units.h"

namespace lifeboat {

void DemoView::Say(const std::string& line) {
  if (live_ && drawn_lines_ > 0) {
    std::fprintf(out_, "\x1b[%dA\x1b[J", drawn_lines_);  // the table is redrawn below
    drawn_lines_ = 0;
  }
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

void DemoView::Show(double now, const std::string& phase,
                    const std::vector<InstanceView>& instances,
                    std::optional<double> scale_in_at) {
  if (!live_) {
    for (const auto& i : instances) {
      std::string& last = last_state_[i.instance_id];
      if (last == i.state) continue;
      last = i.state;
      std::fprintf(out_, "%7.2f s  %s  %-20s %s\n", now, i.instance_id.c_str(), i.mode.c_str(),
                   i.state.c_str());
    }
    std::fflush(out_);
    return;
  }
  std::string text = fmt::format("\x1b[1m{:7.2f} s  {}\x1b[0m\n", now, phase);
  text += fmt::format("  {:<21} {:<20} {:<22} {:>12}\n", "instance", "design", "state", "shipped");
  for (const auto& i : instances) {
    const char* color = i.state == "Terminated"              ? "\x1b[2m"
                        : i.state.starts_with("Terminating") ? "\x1b[33m"
                        : i.state == "InService"             ? "\x1b[32m"
                                                             : "";
    std::string state = i.state;
    if (i.terminated_at && i.scaled_in && scale_in_at) {
      state += fmt::format(" (+{:.2f} s)", *i.terminated_at - *scale_in_at);
    }
    text += fmt::format("  {}{:<21} {:<20} {:<22} {:>12}\x1b[0m\n", color, i.instance_id, i.mode,
                        state, FormatBytes(i.shipped));
  }
  if (drawn_lines_ > 0) std::fprintf(out_, "\x1b[%dA\x1b[J", drawn_lines_);
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
  drawn_lines_ = 2 + static_cast<int>(instances.size());
}

void DemoView::Finish() { drawn_lines_ = 0; }

}  // namespace lifeboat

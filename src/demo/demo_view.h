// What the demo shows while it runs: on a terminal, a table redrawn in place (each
// instance's design, lifecycle state and bytes shipped); otherwise one plain line each time
// an instance changes state, so a log or CI shows the same story.
#ifndef LIFEBOAT_DEMO_DEMO_VIEW_H_
#define LIFEBOAT_DEMO_DEMO_VIEW_H_

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "demo/demo_recorder.h"

namespace lifeboat {

class DemoView {
 public:
  // `out` is where it writes (stderr); `live` redraws in place.
  DemoView(FILE* out, bool live) : out_(out), live_(live) {}

  void Say(const std::string& line);  // a line above the table
  // `scale_in_at`: when set, a terminated instance shows how long after it it went.
  void Show(double now, const std::string& phase, const std::vector<InstanceView>& instances,
            std::optional<double> scale_in_at = std::nullopt);
  void Finish();  // leaves the last table on screen

 private:
  FILE* out_;
  bool live_;
  int drawn_lines_ = 0;
  std::map<std::string, std::string> last_state_;  // plain mode: what was printed
};

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_VIEW_H_

#include "local/sqs/sqs_query.h"

#include <charconv>
#include <map>

#include "http/http_types.h"
#include "local/local_service.h"

namespace lifeboat {

namespace {

using nlohmann::json;

// How a flattened prefix becomes a JSON member.
enum class Kind { kStringMap, kStructMap, kList, kStructList };
struct Flattened {
  std::string_view prefix;  // "Attribute"
  std::string_view member;  // "Attributes"
  Kind kind;
  std::string_view key_name = "Name";  // map entries: the key's field
};

constexpr Flattened kFlattened[] = {
    {"Attribute", "Attributes", Kind::kStringMap},
    {"Tag", "tags", Kind::kStringMap, "Key"},
    {"MessageAttribute", "MessageAttributes", Kind::kStructMap},
    {"MessageSystemAttribute", "MessageSystemAttributes", Kind::kStructMap},
    {"AttributeName", "AttributeNames", Kind::kList},
    {"MessageSystemAttributeName", "MessageSystemAttributeNames", Kind::kList},
    {"MessageAttributeName", "MessageAttributeNames", Kind::kList},
    {"TagKey", "TagKeys", Kind::kList},
    {"SendMessageBatchRequestEntry", "Entries", Kind::kStructList},
    {"DeleteMessageBatchRequestEntry", "Entries", Kind::kStructList},
    {"ChangeMessageVisibilityBatchRequestEntry", "Entries", Kind::kStructList},
};

const Flattened* FindFlattened(std::string_view prefix) {
  for (const Flattened& f : kFlattened) {
    if (f.prefix == prefix) return &f;
  }
  return nullptr;
}

std::string FieldOf(const FormPairs& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

// The fields under "Value." of a struct map entry, with that prefix removed.
FormPairs Under(const FormPairs& fields, std::string_view prefix) {
  FormPairs out;
  for (const auto& [k, v] : fields) {
    if (k.size() > prefix.size() && k.starts_with(prefix) && k[prefix.size()] == '.') {
      out.emplace_back(k.substr(prefix.size() + 1), v);
    }
  }
  return out;
}

std::string XmlText(std::string_view text) {
  // A bare CR would be read back as LF by any XML parser; AWS escapes it too.
  std::string escaped = XmlEscape(text);
  std::string out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '\r') {
      out += "&#xD;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Scalar(const json& v) {
  if (v.is_string()) return XmlText(v.get_ref<const std::string&>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

std::string Element(std::string_view name, const std::string& content) {
  return "<" + std::string(name) + ">" + content + "</" + std::string(name) + ">";
}

std::string Members(std::string_view action, const json& object);

std::string Member(std::string_view action, const std::string& key, const json& value) {
  std::string out;
  if (key == "Attributes" && value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      out += Element("Attribute", Element("Name", XmlText(k)) + Element("Value", Scalar(v)));
    }
  } else if (key == "MessageAttributes" && value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      out += Element("MessageAttribute",
                     Element("Name", XmlText(k)) + Element("Value", Members(action, v)));
    }
  } else if (key == "Messages") {
    for (const json& m : value) out += Element("Message", Members(action, m));
  } else if (key == "QueueUrls") {
    for (const json& u : value) out += Element("QueueUrl", Scalar(u));
  } else if (key == "Successful") {
    const std::string entry = std::string(action) + "ResultEntry";
    for (const json& e : value) out += Element(entry, Members(action, e));
  } else if (key == "Failed") {
    for (const json& e : value) out += Element("BatchResultErrorEntry", Members(action, e));
  } else if (value.is_object()) {
    out += Element(key, Members(action, value));
  } else {
    out += Element(key, Scalar(value));
  }
  return out;
}

std::string Members(std::string_view action, const json& object) {
  std::string out;
  for (const auto& [k, v] : object.items()) out += Member(action, k, v);
  return out;
}

// Actions whose Query response has a <ActionResult> element.
bool HasResult(std::string_view action) {
  for (std::string_view a :
       {"CreateQueue", "GetQueueUrl", "GetQueueAttributes", "ListQueues", "SendMessage",
        "ReceiveMessage", "SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch",
        "ListQueueTags"}) {
    if (a == action) return true;
  }
  return false;
}

}  // namespace

json QueryParamsToJson(const FormPairs& params) {
  json out = json::object();
  // prefix -> index -> the entry's fields (key suffix after "Prefix.N.", value)
  std::map<std::string, std::map<int, FormPairs>> grouped;
  for (const auto& [key, value] : params) {
    if (key == "Action" || key == "Version") continue;
    const size_t dot = key.find('.');
    const Flattened* f = dot == std::string::npos ? nullptr : FindFlattened(key.substr(0, dot));
    if (f == nullptr) {
      out[key] = value;
      continue;
    }
    const std::string rest = key.substr(dot + 1);
    const size_t dot2 = rest.find('.');
    const std::string index_text = rest.substr(0, dot2);
    int index = 0;
    auto [end, ec] =
        std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
    if (ec != std::errc() || end != index_text.data() + index_text.size()) {
      out[key] = value;  // not an indexed member; the action will reject or ignore it
      continue;
    }
    grouped[key.substr(0, dot)][index].emplace_back(
        dot2 == std::string::npos ? "" : rest.substr(dot2 + 1), value);
  }
  for (const auto& [prefix, entries] : grouped) {
    const Flattened& f = *FindFlattened(prefix);
    json& member = out[std::string(f.member)];
    for (const auto& [index, fields] : entries) {
      switch (f.kind) {
        case Kind::kStringMap:
          if (!member.is_object()) member = json::object();
          member[FieldOf(fields, f.key_name)] = FieldOf(fields, "Value");
          break;
        case Kind::kStructMap:
          if (!member.is_object()) member = json::object();
          member[FieldOf(fields, f.key_name)] = QueryParamsToJson(Under(fields, "Value"));
          break;
        case Kind::kList:
          if (!member.is_array()) member = json::array();
          member.push_back(FieldOf(fields, ""));
          break;
        case Kind::kStructList:
          if (!member.is_array()) member = json::array();
          member.push_back(QueryParamsToJson(fields));
          break;
      }
    }
  }
  return out;
}

std::string SqsQueryXml(std::string_view action, const json& output, std::string_view request_id) {
  const std::string a(action);
  std::string body = "<?xml version=\"1.0\"?>\n<" + a +
                     "Response xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\">";
  if (HasResult(action)) body += Element(a + "Result", Members(action, output));
  body += "<ResponseMetadata><RequestId>" + std::string(request_id) +
          "</RequestId></ResponseMetadata></" + a + "Response>";
  return body;
}

}  // namespace lifeboat

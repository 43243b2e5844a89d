#include "scim/bulk.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "scim/ascii_case.h"
#include "scim/patch_request.h"
#include "scim/request_target.h"
#include "scim/resource_codec.h"
#include "scim/resource_reads.h"
#include "scim/resource_writes.h"
#include "scim/scim_response.h"

namespace rosterd::scim {
namespace {

constexpr std::string_view kBulkRequest = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
constexpr std::string_view kBulkResponse = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
constexpr std::string_view kRefPrefix = "bulkId:";

enum class Method { Post, Put, Patch, Delete };

struct BulkOperation {
  Method method = Method::Post;
  std::string method_text;
  std::string bulk_id;
  std::string path;
  std::string version;  // If-Match
  boost::json::value data;
  std::set<std::string> references;  // bulkIds it needs
  std::optional<std::string> invalid;  // why it cannot run at all
};

struct OperationResult {
  bool ran = false;
  std::string location;
  std::string version;
  int status = 0;
  std::string error;  // the Error body of a failure
};

void collect_references(const boost::json::value& v, std::set<std::string>& out) {
  if (const auto* s = v.if_string()) {
    const std::string_view text(s->data(), s->size());
    if (text.starts_with(kRefPrefix)) out.emplace(text.substr(kRefPrefix.size()));
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) collect_references(e, out);
  } else if (const auto* o = v.if_object()) {
    for (const auto& [k, e] : *o) collect_references(e, out);
  }
}

void replace_references(boost::json::value& v, const std::map<std::string, std::string>& ids) {
  if (auto* s = v.if_string()) {
    const std::string_view text(s->data(), s->size());
    if (text.starts_with(kRefPrefix))
      if (const auto it = ids.find(std::string(text.substr(kRefPrefix.size()))); it != ids.end()) *s = it->second;
  } else if (auto* a = v.if_array()) {
    for (auto& e : *a) replace_references(e, ids);
  } else if (auto* o = v.if_object()) {
    for (auto& [k, e] : *o) replace_references(e, ids);
  }
}

std::optional<Method> method_of(std::string_view text) {
  if (equals_ignoring_case(text, "POST")) return Method::Post;
  if (equals_ignoring_case(text, "PUT")) return Method::Put;
  if (equals_ignoring_case(text, "PATCH")) return Method::Patch;
  if (equals_ignoring_case(text, "DELETE")) return Method::Delete;
  return std::nullopt;
}

BulkOperation read_operation(const boost::json::value& v) {
  BulkOperation op;
  const auto* o = v.if_object();
  if (!o) {
    op.invalid = "an operation must be a JSON object";
    return op;
  }
  auto text = [&](std::string_view key) -> std::string {
    for (const auto& [k, e] : *o)
      if (equals_ignoring_case(std::string_view(k.data(), k.size()), key) && e.is_string())
        return std::string(e.get_string());
    return {};
  };
  op.method_text = text("method");
  op.bulk_id = text("bulkId");
  op.path = text("path");
  op.version = text("version");
  for (const auto& [k, e] : *o)
    if (equals_ignoring_case(std::string_view(k.data(), k.size()), "data")) op.data = e;
  const auto method = method_of(op.method_text);
  if (!method) {
    op.invalid = "method must be POST, PUT, PATCH or DELETE";
    return op;
  }
  op.method = *method;
  if (op.path.empty()) op.invalid = "an operation needs a path";
  else if (op.method == Method::Post && op.bulk_id.empty()) op.invalid = "a POST operation needs a bulkId";
  else if (op.method != Method::Delete && !op.data.is_object()) op.invalid = "data must be a JSON object";
  // "/Users/bulkId:u1" and "Users/bulkId:u1" alike: start() resolves every path reference.
  if (const auto at = op.path.find(kRefPrefix); at != std::string::npos)
    op.references.emplace(op.path.substr(at + kRefPrefix.size()));
  collect_references(op.data, op.references);
  return op;
}

class BulkRun : public std::enable_shared_from_this<BulkRun> {
 public:
  BulkRun(const ScimEnv& env, Caller caller, std::vector<BulkOperation> ops, std::size_t fail_on_errors,
          std::function<void(HttpResponse)> respond)
      : env_(env),
        caller_(std::move(caller)),
        ops_(std::move(ops)),
        results_(ops_.size()),
        fail_on_errors_(fail_on_errors),
        respond_(std::move(respond)) {
    for (const BulkOperation& op : ops_)
      if (op.method == Method::Post && !op.bulk_id.empty()) defined_.insert(op.bulk_id);
  }

  // Runs the next operation whose references are resolved (or can never be), or
  // answers when none is left. Called again from each operation's completion.
  void next() {
    for (;;) {
      if (fail_on_errors_ > 0 && errors_ >= fail_on_errors_) return finish();
      const std::optional<std::size_t> i = pick();
      if (!i) return finish();
      if (start(*i)) return;  // completes asynchronously, then calls next()
    }
  }

 private:
  // The first operation not yet run whose bulkIds are all resolved; else the first one
  // not yet run (it fails: a reference to a bulkId that failed, is missing or circular).
  std::optional<std::size_t> pick() const {
    std::optional<std::size_t> fallback;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (results_[i].ran) continue;
      if (!fallback) fallback = i;
      bool ready = true;
      for (const std::string& ref : ops_[i].references)
        ready = ready && (ids_.count(ref) || !defined_.count(ref) || failed_.count(ref));
      if (ready) return i;
    }
    return fallback;
  }

  void fail_op(std::size_t i, int status, std::string_view detail, std::string_view scim_type) {
    results_[i].ran = true;
    results_[i].status = status;
    results_[i].error = error_body(status, detail, scim_type);
    if (!ops_[i].bulk_id.empty()) failed_.insert(ops_[i].bulk_id);
    ++errors_;
  }

  // false when the operation failed before reaching the store (the loop goes on).
  bool start(std::size_t i) {
    BulkOperation& op = ops_[i];
    if (op.invalid) {
      fail_op(i, 400, *op.invalid, "invalidSyntax");
      return false;
    }
    for (const std::string& ref : op.references) {
      if (!ids_.count(ref)) {
        fail_op(i, 409, "bulkId '" + ref + "' does not name a resource created by this request", "invalidValue");
        return false;
      }
    }
    replace_references(op.data, ids_);
    std::string path = op.path;
    if (const auto at = path.find(kRefPrefix); at != std::string::npos)
      path = path.substr(0, at) + ids_.at(path.substr(at + kRefPrefix.size()));
    const auto segments = path_segments(path);
    std::optional<ResourceType> type;
    if (!segments.empty() && equals_ignoring_case(segments[0], "Users")) type = ResourceType::User;
    if (!segments.empty() && equals_ignoring_case(segments[0], "Groups")) type = ResourceType::Group;
    const bool with_id = segments.size() == 2;
    if (!type || segments.size() > 2 || (op.method == Method::Post) == with_id) {
      fail_op(i, 400, "path '" + op.path + "' does not fit method " + op.method_text, "invalidPath");
      return false;
    }
    auto out = std::make_shared<WriteResult>();
    WriteOptions options;
    options.if_match = op.version;
    IdentityStore::WriteJob job;
    const std::string id = with_id ? std::string(segments[1]) : std::string();
    switch (op.method) {
      case Method::Post:
      case Method::Put: {
        auto decoded = decode_resource(*type, op.data.as_object());
        if (!decoded) {
          fail_op(i, decoded.error().http_status(), decoded.error().message, decoded.error().scim_type());
          return false;
        }
        job = op.method == Method::Post
                  ? create_job(env_, caller_, *type, std::move(*decoded), options, out)
                  : replace_job(env_, caller_, *type, id, std::move(*decoded), options, out);
        break;
      }
      case Method::Patch: {
        auto ops = parse_patch_request(op.data);
        if (!ops) {
          fail_op(i, ops.error().http_status(), ops.error().message, ops.error().scim_type());
          return false;
        }
        job = patch_job(env_, caller_, *type, id, std::move(*ops), options, out);
        break;
      }
      case Method::Delete:
        job = delete_job(env_, caller_, *type, id, options, out);
        break;
    }
    env_.store.write_async(
        std::move(job),
        [self = shared_from_this(), i, out](Result<void> r) {
          self->completed(i, r, *out);
          self->next();
        },
        IdentityStore::Rerun::Allowed);  // resource_writes.h's jobs are
    return true;
  }

  void completed(std::size_t i, const Result<void>& r, const WriteResult& out) {
    if (!r) {
      fail_op(i, r.error().http_status(), r.error().message, r.error().scim_type());
      return;
    }
    results_[i].ran = true;
    results_[i].status = out.status == 200 && out.body.empty() ? 204 : out.status;
    results_[i].location = out.location;
    if (out.version > 0) results_[i].version = "W/\"" + std::to_string(out.version) + "\"";
    if (ops_[i].method == Method::Post) ids_[ops_[i].bulk_id] = out.id;
  }

  void finish() {
    std::string body = R"({"schemas":[")" + std::string(kBulkResponse) + R"("],"Operations":[)";
    bool first = true;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      const OperationResult& r = results_[i];
      if (!r.ran) continue;
      if (!first) body += ',';
      first = false;
      body += R"({"method":)" + json_string(ops_[i].method_text);
      if (!ops_[i].bulk_id.empty()) body += R"(,"bulkId":)" + json_string(ops_[i].bulk_id);
      if (!r.location.empty()) body += R"(,"location":)" + json_string(r.location);
      if (!r.version.empty()) body += R"(,"version":)" + json_string(r.version);
      body += R"(,"status":")" + std::to_string(r.status) + '"';
      if (!r.error.empty()) body += R"(,"response":)" + r.error;
      body += '}';
    }
    body += "]}";
    respond_(json_response(200, std::move(body)));
  }

  const ScimEnv& env_;
  const Caller caller_;
  std::vector<BulkOperation> ops_;
  std::vector<OperationResult> results_;
  std::set<std::string> defined_;
  std::set<std::string> failed_;
  std::map<std::string, std::string> ids_;  // bulkId -> id
  std::size_t fail_on_errors_;
  std::size_t errors_ = 0;
  std::function<void(HttpResponse)> respond_;
};

}  // namespace

void run_bulk(const ScimEnv& env, Caller caller, boost::json::value body, std::size_t body_bytes,
              std::function<void(HttpResponse)> respond) {
  const ScimLimits& limits = env.limits;
  if (body_bytes > limits.max_bulk_payload_bytes)
    return respond(error_response(413, "the bulk request is larger than maxPayloadSize (" +
                                           std::to_string(limits.max_bulk_payload_bytes) + " bytes)"));
  const auto* object = body.if_object();
  if (!object) return respond(error_response(400, "a BulkRequest must be a JSON object", "invalidSyntax"));
  bool schema_ok = false;
  const boost::json::array* operations = nullptr;
  std::size_t fail_on_errors = 0;
  for (const auto& [k, v] : *object) {
    const std::string_view key(k.data(), k.size());
    if (equals_ignoring_case(key, "schemas") && v.is_array())
      for (const auto& s : v.get_array())
        schema_ok = schema_ok || (s.is_string() && equals_ignoring_case(s.get_string(), kBulkRequest));
    if (equals_ignoring_case(key, "Operations")) operations = v.if_array();
    if (equals_ignoring_case(key, "failOnErrors")) {
      if (!v.is_int64() || v.get_int64() < 1)
        return respond(error_response(400, "failOnErrors must be a positive integer", "invalidValue"));
      fail_on_errors = static_cast<std::size_t>(v.get_int64());
    }
  }
  if (!schema_ok)
    return respond(error_response(400, "a BulkRequest must list the schema " + std::string(kBulkRequest), "invalidSyntax"));
  if (!operations) return respond(error_response(400, "a BulkRequest needs an Operations array", "invalidSyntax"));
  if (operations->size() > limits.max_bulk_operations)
    return respond(error_response(413, "the bulk request has " + std::to_string(operations->size()) +
                                           " operations, more than maxOperations (" +
                                           std::to_string(limits.max_bulk_operations) + ")"));
  std::vector<BulkOperation> ops;
  ops.reserve(operations->size());
  std::set<std::string> seen;
  for (const auto& v : *operations) {
    ops.push_back(read_operation(v));
    if (ops.back().method == Method::Post && !ops.back().bulk_id.empty() && !seen.insert(ops.back().bulk_id).second)
      return respond(error_response(400, "bulkId '" + ops.back().bulk_id + "' is used twice", "uniqueness"));
  }
  auto run = std::make_shared<BulkRun>(env, std::move(caller), std::move(ops), fail_on_errors, std::move(respond));
  run->next();
}

}  // namespace rosterd::scim

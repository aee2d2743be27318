// The SSM documents of `lifeboat local`, held in memory (they are gone when it stops):
// CreateDocument, DescribeDocument, GetDocument, DeleteDocument and ListDocuments with
// the SSM model's input and output shapes, and the lookup SendCommand does. The
// Amazon-owned AWS-RunShellScript is built in (schema 1.2, parameters commands,
// workingDirectory and executionTimeout, as AWS publishes it).
//
// Every document has one version, "1" (UpdateDocument is not implemented). Command
// documents are checked when created (ssm_document.h); documents of other types are
// stored after their content parses, and cannot be sent.
//
// Thread-safe.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_STORE_H_
#define LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_STORE_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/env.h"
#include "common/status.h"
#include "local/ssm/ssm_document.h"

namespace lifeboat {

struct StoredSsmDocument {
  std::string name;
  std::string content;  // as created
  std::string format;   // JSON | YAML
  std::string document_type = "Command";
  std::string target_type;
  std::string owner;  // the account id, or "Amazon"
  std::string version_name;
  std::string display_name;
  nlohmann::json tags = nlohmann::json::array();
  nlohmann::json tree;  // the parsed content
  std::chrono::system_clock::time_point created;
  std::string hash;  // SHA-256 of the content, hex
  std::string schema_version;
  std::string description;
  std::shared_ptr<const SsmDocument> command;  // Command documents only
};

class SsmDocumentStore {
 public:
  // `env` (its clock) must outlive the store.
  SsmDocumentStore(Env* env, std::string account_id);

  // The actions: the request body in, the response body out.
  Result<nlohmann::json> Create(const nlohmann::json& input);
  Result<nlohmann::json> Describe(const nlohmann::json& input);
  Result<nlohmann::json> Get(const nlohmann::json& input);
  Result<nlohmann::json> Delete(const nlohmann::json& input);
  Result<nlohmann::json> List(const nlohmann::json& input);

  // The document SendCommand names (a name or a document ARN) at `version` ("", "1",
  // "$LATEST" or "$DEFAULT"): InvalidDocument when there is none, InvalidDocumentVersion.
  Result<std::shared_ptr<const StoredSsmDocument>> Find(const std::string& name_or_arn,
                                                        const std::string& version);

 private:
  nlohmann::json Description(const StoredSsmDocument& doc) const;

  Env* env_;
  const std::string account_id_;
  std::mutex mu_;  // guards documents_
  std::map<std::string, std::shared_ptr<const StoredSsmDocument>> documents_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_DOCUMENT_STORE_H_

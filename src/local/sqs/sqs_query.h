// SQS's Query protocol (form-encoded `Action=SendMessage&Version=2012-11-05&...`, XML
// answers), translated to and from the JSON shapes RunSqsAction works on. Lists and maps
// travel flattened with 1-based indexes: `AttributeName.1=All`,
// `Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60`,
// `MessageAttribute.1.Name=k&MessageAttribute.1.Value.DataType=String&...`,
// `SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=...`.
#ifndef LIFEBOAT_LOCAL_SQS_SQS_QUERY_H_
#define LIFEBOAT_LOCAL_SQS_SQS_QUERY_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http/percent_encoding.h"

namespace lifeboat {

// The request members in JSON shape (Action and Version dropped), from the query string's
// and form body's pairs as ParseFormPairs decodes them.
nlohmann::json QueryParamsToJson(const FormPairs& params);

// <ActionResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ActionResult>...
// </ActionResult><ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>
std::string SqsQueryXml(std::string_view action, const nlohmann::json& output,
                        std::string_view request_id);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_QUERY_H_

#include "store/open_store.h"

#include "store/file_object_store.h"

namespace lifeboat {

Result<OpenedStore> OpenStore(const StoreUrl& url, Env* env, AwsSession* session,
                              S3StoreOptions s3_options) {
  OpenedStore opened;
  if (url.kind == StoreUrl::Kind::kFile) {
    opened.store = std::make_unique<FileObjectStore>(env, url.directory());
    return opened;
  }
  if (session == nullptr) return Status::Internal("an s3:// store needs an AWS session");
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session->Transport(AwsService::kS3));
  LIFEBOAT_ASSIGN_OR_RETURN(ServiceEndpoint endpoint, session->Endpoint(AwsService::kS3));
  LIFEBOAT_ASSIGN_OR_RETURN(std::string region, session->Region(AwsService::kS3));
  LIFEBOAT_ASSIGN_OR_RETURN(S3AddressingStyle style, session->settings().S3Addressing());
  S3RequestOptions request_options;
  request_options.endpoint = endpoint.url;
  request_options.region = region;
  request_options.addressing = style == S3AddressingStyle::kPath      ? S3Addressing::kPath
                               : style == S3AddressingStyle::kVirtual ? S3Addressing::kVirtual
                                                                      : S3Addressing::kAuto;
  opened.s3 = std::make_unique<S3Client>(*transport, request_options);
  s3_options.bucket = url.bucket;
  s3_options.prefix = url.path;
  opened.store = std::make_unique<S3ObjectStore>(opened.s3.get(), std::move(s3_options));
  return opened;
}

}  // namespace lifeboat

#include "ship/evacuation_record.h"

#include "ship/verification.h"

namespace lifeboat {

Status RecordEvacuation(Env* env, ObjectStore* store, const EvacuationReport& report,
                        InstanceRecord r) {
  IndexedDays indexed;
  auto previous = ReadInstanceRecord(store, r.instance_id);
  if (previous.ok() && previous->has_value()) {
    const InstanceRecord& p = **previous;
    indexed = IndexedDaysOf(p);  // its markers were stored before it
    if (r.group.empty()) r.group = p.group;
    if (r.availability_zone.empty()) r.availability_zone = p.availability_zone;
    if (r.instance_type.empty()) r.instance_type = p.instance_type;
    if (r.image_id.empty()) r.image_id = p.image_id;
    if (!r.launch_time) r.launch_time = p.launch_time;
    r.first_byte_time = p.first_byte_time;
    r.last_byte_time = p.last_byte_time;
  } else if (!previous.ok() && previous.status().service_code() != "AccessDenied") {
    // S3 answers 403 for a missing key to the instance policy (no ListBucket): no record.
    return previous.status();
  }
  // The whole manifest, so that the record counts what earlier runs shipped as well.
  LIFEBOAT_ASSIGN_OR_RETURN(Manifest whole, ReadManifest(store, r.instance_id));
  r.files.clear();
  AddManifestFiles(whole.streams, r.files);
  r.sealed = whole.sealed;
  for (const FileReport& f : report.files) {
    auto info = env->Stat(f.path);
    if (!info.ok() || info->mtime_ns == 0) continue;
    const WallTime modified{std::chrono::duration_cast<WallTime::duration>(
        std::chrono::nanoseconds(info->mtime_ns))};
    r.last_byte_time = r.last_byte_time ? std::max(*r.last_byte_time, modified) : modified;
  }
  r.updated_at = env->Now();
  // A caller that knows the cause knows the instance is going now; one that does not may
  // have evacuated a running instance.
  if (r.cause && *r.cause != EndCause::kUnknown) r.terminated_at = r.updated_at;
  r.writer = "evacuate";
  return PublishInstanceRecord(store, r, &indexed);
}

}  // namespace lifeboat

// The instance record `lifeboat evacuate` writes after its manifest (instance_index.h):
// what it shipped (every file of the whole manifest, earlier runs and an agent's included),
// when the evacuated files last changed (their modification times bound the last byte), and
// why the instance ends when the caller knows it. Fields it cannot know (the first byte, a
// group or launch time without instance metadata) are kept from a record already stored.
#ifndef LIFEBOAT_SHIP_EVACUATION_RECORD_H_
#define LIFEBOAT_SHIP_EVACUATION_RECORD_H_

#include <string>
#include <vector>

#include "common/env.h"
#include "ship/evacuation.h"
#include "ship/instance_index.h"
#include "store/object_store.h"

namespace lifeboat {

// `base` carries what the caller learned (instance id, group, zone, type, AMI, launch
// time) and the cause (nullopt: the instance may run on). With a cause the record says the
// instance ended now.
Status RecordEvacuation(Env* env, ObjectStore* store, const EvacuationReport& report,
                        InstanceRecord base);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_EVACUATION_RECORD_H_

"""`lifeboat local`'s S3 driven by outside clients: the real aws CLI (`s3` and `s3api`) and
boto3, every operation and the errors clients must tell apart, multipart through boto3's
transfer manager, presigned URLs fetched with urllib, virtual-hosted addressing, and
objects that survive a SIGKILL of the server.
"""
import hashlib
import io
import http.client
import os
import random
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from harness import REGION, TempDirTestCase, base_env, lifeboat, read, run
from local_harness import LocalCloud

MIB = 1 << 20


def md5(data):
    return hashlib.md5(data).hexdigest()


class LocalS3Test(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="lifeboat-local-s3-")
        cls.cloud = LocalCloud(os.path.join(cls.root, "state"))
        cls.s3 = cls.cloud.client("s3")
        cls.buckets = 0

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()
        run(["rm", "-rf", cls.root])

    def new_bucket(self, create=True):
        type(self).buckets += 1
        name = f"bucket-{type(self).buckets}"
        if create:
            self.s3.create_bucket(Bucket=name)
        return name

    def aws(self, *args, check=True):
        p = run(["aws", "--endpoint-url", self.cloud.url, *args], env=base_env())
        if check:
            self.assertEqual(p.returncode, 0, f"aws {args}: {p.stderr_text}")
        return p

    def assertAwsFails(self, proc, code):
        self.assertNotEqual(proc.returncode, 0, proc.stdout_text)
        self.assertIn(f"({code})", proc.stderr_text)

    def assertClientError(self, code, status, fn, *args, **kw):
        with self.assertRaises(ClientError) as caught:
            fn(*args, **kw)
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], code, error)
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], status, error)
        return error

    # --- buckets --------------------------------------------------------------------------

    def test_cli_bucket_lifecycle(self):
        bucket = self.new_bucket(create=False)
        self.aws("s3", "mb", f"s3://{bucket}")
        self.assertIn(bucket, self.aws("s3", "ls").stdout_text)
        self.aws("s3api", "head-bucket", "--bucket", bucket)
        self.assertAwsFails(self.aws("s3api", "create-bucket", "--bucket", bucket, check=False),
                            "BucketAlreadyOwnedByYou")
        self.write("f.txt", b"content")
        self.aws("s3", "cp", os.path.join(self.tmp, "f.txt"), f"s3://{bucket}/f.txt")
        self.assertAwsFails(self.aws("s3", "rb", f"s3://{bucket}", check=False), "BucketNotEmpty")
        self.aws("s3", "rb", "--force", f"s3://{bucket}")  # ListObjectsV2 + DeleteObjects
        self.assertNotIn(bucket, self.aws("s3", "ls").stdout_text)
        self.assertAwsFails(self.aws("s3api", "head-bucket", "--bucket", bucket, check=False), "404")

    def test_boto3_bucket_operations_and_errors(self):
        bucket = self.new_bucket()
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn(bucket, names)
        head = self.s3.head_bucket(Bucket=bucket)
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], REGION)
        self.assertIsNone(self.s3.get_bucket_location(Bucket=bucket)["LocationConstraint"])
        self.assertClientError("BucketAlreadyOwnedByYou", 409, self.s3.create_bucket, Bucket=bucket)
        self.assertClientError("InvalidBucketName", 400, self.s3.create_bucket, Bucket="ab")
        self.assertClientError("InvalidBucketName", 400, self.s3.create_bucket, Bucket="Upper-Case")
        self.assertClientError("NoSuchBucket", 404, self.s3.list_objects_v2, Bucket="no-such-bucket")
        self.assertClientError("NoSuchBucket", 404, self.s3.put_object, Bucket="no-such-bucket",
                               Key="k", Body=b"x")
        self.assertClientError("404", 404, self.s3.head_bucket, Bucket="no-such-bucket")
        eu = self.new_bucket(create=False)
        self.s3.create_bucket(Bucket=eu, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(self.s3.get_bucket_location(Bucket=eu)["LocationConstraint"], "eu-west-1")
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        self.assertClientError("BucketNotEmpty", 409, self.s3.delete_bucket, Bucket=bucket)
        self.s3.delete_object(Bucket=bucket, Key="k")
        self.s3.delete_bucket(Bucket=bucket)
        self.assertNotIn(bucket, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])

    def test_a_wrong_secret_is_signature_does_not_match(self):
        bad = self.cloud.client("s3", secret="not-the-secret")
        self.assertClientError("SignatureDoesNotMatch", 403, bad.list_buckets)

    # --- objects with the CLI -------------------------------------------------------------

    def test_cli_cp_ls_sync_rm_with_awkward_names(self):
        bucket = self.new_bucket()
        rng = random.Random(3)
        files = {
            "plain.txt": b"hello\n",
            "with space/and+plus.log": rng.randbytes(3000),
            "unicode-\u00e9t\u00e9.bin": rng.randbytes(100),
            "deep/a/b/c/empty": b"",
            "big.bin": rng.randbytes(20 * MIB),  # over the CLI's 8 MiB multipart threshold
        }
        src = os.path.join(self.tmp, "src")
        for name, data in files.items():
            self.write(os.path.join("src", name), data)
        self.aws("s3", "sync", src, f"s3://{bucket}/up")
        listing = self.aws("s3", "ls", "--recursive", f"s3://{bucket}/up/").stdout_text
        for name, data in files.items():
            self.assertIn(f"{len(data)} up/{name}", " ".join(listing.split()))
        big = self.s3.head_object(Bucket=bucket, Key="up/big.bin")
        self.assertRegex(big["ETag"], r'^"[0-9a-f]{32}-3"$')  # 8 + 8 + 4 MiB parts
        self.assertEqual(big["ContentLength"], 20 * MIB)
        down = os.path.join(self.tmp, "down")
        self.aws("s3", "sync", f"s3://{bucket}/up", down)
        for name, data in files.items():
            self.assertEqual(read(os.path.join(down, name)), data, name)
        # A second sync finds nothing to do.
        self.assertEqual(self.aws("s3", "sync", src, f"s3://{bucket}/up").stdout_text.strip(), "")
        self.aws("s3", "cp", f"s3://{bucket}/up/plain.txt", f"s3://{bucket}/copied.txt")  # CopyObject
        self.aws("s3", "cp", f"s3://{bucket}/copied.txt", os.path.join(self.tmp, "copied.txt"))
        self.assertEqual(read(os.path.join(self.tmp, "copied.txt")), b"hello\n")
        self.aws("s3", "rm", "--recursive", f"s3://{bucket}/up")
        self.assertEqual(self.aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout_text.split()[-1],
                         "copied.txt")

    def test_cli_s3api_objects_and_errors(self):
        bucket = self.new_bucket()
        body = self.write("body.txt", b"0123456789")
        put = self.aws("s3api", "put-object", "--bucket", bucket, "--key", "k", "--body", body,
                       "--content-type", "text/plain", "--metadata", "owner=me").stdout_text
        self.assertIn(md5(b"0123456789"), put)
        head = self.aws("s3api", "head-object", "--bucket", bucket, "--key", "k").stdout_text
        self.assertIn('"ContentType": "text/plain"', head)
        self.assertIn('"owner": "me"', head)
        out = os.path.join(self.tmp, "range.out")
        self.aws("s3api", "get-object", "--bucket", bucket, "--key", "k", "--range", "bytes=2-5", out)
        self.assertEqual(read(out), b"2345")
        self.assertAwsFails(self.aws("s3api", "get-object", "--bucket", bucket, "--key", "missing",
                                     out, check=False), "NoSuchKey")
        self.assertAwsFails(self.aws("s3api", "get-object", "--bucket", bucket, "--key", "k",
                                     "--range", "bytes=100-", out, check=False), "InvalidRange")
        self.assertAwsFails(self.aws("s3api", "head-object", "--bucket", bucket, "--key", "missing",
                                     check=False), "404")
        self.assertAwsFails(self.aws("s3api", "put-object", "--bucket", bucket, "--key", "k",
                                     "--body", body, "--if-none-match", "*", check=False),
                            "PreconditionFailed")
        listed = self.aws("s3api", "list-objects-v2", "--bucket", bucket).stdout_text
        self.assertIn('"Key": "k"', listed)
        self.aws("s3api", "delete-object", "--bucket", bucket, "--key", "k")
        self.aws("s3api", "delete-object", "--bucket", bucket, "--key", "k")  # idempotent
        self.assertAwsFails(self.aws("s3api", "get-object", "--bucket", bucket, "--key", "k", out,
                                     check=False), "NoSuchKey")

    # --- objects with boto3 ---------------------------------------------------------------

    def test_boto3_put_get_head_delete_with_metadata_and_ranges(self):
        bucket = self.new_bucket()
        data = bytes(range(256)) * 40
        put = self.s3.put_object(Bucket=bucket, Key="dir/obj", Body=data, ContentType="text/x",
                                 Metadata={"owner": "me"}, CacheControl="no-cache")
        self.assertEqual(put["ETag"], f'"{md5(data)}"')
        got = self.s3.get_object(Bucket=bucket, Key="dir/obj")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "text/x")
        self.assertEqual(got["Metadata"], {"owner": "me"})
        self.assertEqual(got["CacheControl"], "no-cache")
        self.assertEqual(got["ETag"], put["ETag"])
        head = self.s3.head_object(Bucket=bucket, Key="dir/obj")
        self.assertEqual(head["ContentLength"], len(data))
        self.assertLess(abs(time.time() - head["LastModified"].timestamp()), 60)
        for rng, want in (("bytes=10-19", data[10:20]), ("bytes=-5", data[-5:]),
                          ("bytes=10200-", data[10200:])):
            part = self.s3.get_object(Bucket=bucket, Key="dir/obj", Range=rng)
            self.assertEqual(part["ResponseMetadata"]["HTTPStatusCode"], 206)
            self.assertEqual(part["Body"].read(), want)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="dir/obj", Range="bytes=0-3")["ContentRange"],
                         f"bytes 0-3/{len(data)}")
        self.assertClientError("InvalidRange", 416, self.s3.get_object, Bucket=bucket, Key="dir/obj",
                               Range=f"bytes={len(data)}-")
        self.assertClientError("NoSuchKey", 404, self.s3.get_object, Bucket=bucket, Key="nope")
        self.assertClientError("404", 404, self.s3.head_object, Bucket=bucket, Key="nope")
        self.assertClientError("PreconditionFailed", 412, self.s3.get_object, Bucket=bucket,
                               Key="dir/obj", IfMatch='"0000"')
        self.assertClientError("304", 304, self.s3.head_object, Bucket=bucket, Key="dir/obj",
                               IfNoneMatch=put["ETag"])
        deleted = self.s3.delete_object(Bucket=bucket, Key="dir/obj")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertClientError("NoSuchKey", 404, self.s3.get_object, Bucket=bucket, Key="dir/obj")
        many = self.s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
        self.assertEqual(sorted(d["Key"] for d in many["Deleted"]), ["a", "b"])

    def test_if_none_match_star_creates_only_once(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="once", Body=b"first", IfNoneMatch="*")
        self.assertClientError("PreconditionFailed", 412, self.s3.put_object, Bucket=bucket,
                               Key="once", Body=b"second", IfNoneMatch="*")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="once")["Body"].read(), b"first")

    def test_checksums_are_validated_stored_and_returned(self):
        bucket = self.new_bucket()
        # botocore sends a CRC32 by default; SHA256 and SHA1 on request.
        for algorithm in ("CRC32", "SHA256", "SHA1"):
            put = self.s3.put_object(Bucket=bucket, Key=algorithm, Body=b"payload",
                                     ChecksumAlgorithm=algorithm)
            value = put[f"Checksum{algorithm}"]
            head = self.s3.head_object(Bucket=bucket, Key=algorithm, ChecksumMode="ENABLED")
            self.assertEqual(head[f"Checksum{algorithm}"], value)
            got = self.s3.get_object(Bucket=bucket, Key=algorithm, ChecksumMode="ENABLED")
            self.assertEqual(got["Body"].read(), b"payload")  # botocore verifies it on read
        wrong = "A" * 43 + "="
        self.assertClientError("BadDigest", 400, self.s3.put_object, Bucket=bucket, Key="bad",
                               Body=b"payload", ChecksumSHA256=wrong)
        self.assertClientError("InvalidRequest", 400, self.s3.put_object, Bucket=bucket, Key="bad",
                               Body=b"payload", ChecksumSHA256="not-base64")
        self.assertClientError("BadDigest", 400, self.s3.put_object, Bucket=bucket, Key="bad",
                               Body=b"payload", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
        self.assertClientError("404", 404, self.s3.head_object, Bucket=bucket, Key="bad")

    def test_list_objects_v2_prefix_delimiter_pagination_and_encoding(self):
        bucket = self.new_bucket()
        keys = sorted([f"logs/{d}/{i:02d}.log" for d in ("a", "b") for i in range(10)] +
                      ["top.txt", "sp ace/x", "plus+/y", "logs/readme"])
        for k in keys:
            self.s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
        pages = list(self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, PaginationConfig={"PageSize": 7}))
        self.assertEqual(len(pages), 4)
        self.assertEqual([o["Key"] for p in pages for o in p.get("Contents", [])], keys)
        self.assertEqual([p["KeyCount"] for p in pages], [7, 7, 7, 3])
        self.assertTrue(all(p["IsTruncated"] for p in pages[:-1]))
        rolled = self.s3.list_objects_v2(Bucket=bucket, Prefix="logs/", Delimiter="/")
        self.assertEqual([c["Prefix"] for c in rolled["CommonPrefixes"]], ["logs/a/", "logs/b/"])
        self.assertEqual([o["Key"] for o in rolled["Contents"]], ["logs/readme"])
        top = self.s3.list_objects_v2(Bucket=bucket, Delimiter="/")
        self.assertEqual([c["Prefix"] for c in top["CommonPrefixes"]], ["logs/", "plus+/", "sp ace/"])
        after = self.s3.list_objects_v2(Bucket=bucket, StartAfter="logs/readme")
        self.assertEqual([o["Key"] for o in after["Contents"]], ["plus+/y", "sp ace/x", "top.txt"])
        v1 = self.s3.list_objects(Bucket=bucket, Prefix="logs/b/", MaxKeys=3)
        self.assertEqual(len(v1["Contents"]), 3)
        self.assertTrue(v1["IsTruncated"])
        obj = rolled["Contents"][0]
        self.assertEqual(obj["Size"], len("logs/readme"))
        self.assertEqual(obj["ETag"], f'"{md5(b"logs/readme")}"')
        self.assertEqual(obj["StorageClass"], "STANDARD")
        self.assertClientError("InvalidArgument", 400, self.s3.list_objects_v2, Bucket=bucket,
                               ContinuationToken="%%%")

    # --- multipart ------------------------------------------------------------------------

    def test_boto3_upload_file_goes_multipart_and_downloads_intact(self):
        bucket = self.new_bucket()
        data = random.Random(9).randbytes(12 * MIB + 123)
        path = self.write("big.bin", data)
        config = TransferConfig(multipart_threshold=1 * MIB, multipart_chunksize=5 * MIB)
        self.s3.upload_file(path, bucket, "big.bin", Config=config)
        head = self.s3.head_object(Bucket=bucket, Key="big.bin", ChecksumMode="ENABLED")
        self.assertRegex(head["ETag"], r'-3"$')
        self.assertEqual(head["ContentLength"], len(data))
        self.assertRegex(head.get("ChecksumCRC32", ""), r"-3$")  # COMPOSITE, from the parts
        out = os.path.join(self.tmp, "back.bin")
        self.s3.download_file(bucket, "big.bin", out, Config=config)  # ranged GETs
        self.assertEqual(md5(read(out)), md5(data))
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []), [])

    def test_multipart_rules_and_errors(self):
        bucket = self.new_bucket()
        up = self.s3.create_multipart_upload(Bucket=bucket, Key="mp", ContentType="text/x")
        uid = up["UploadId"]
        small = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1, Body=b"tiny")
        last = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=2, Body=b"last")
        parts = self.s3.list_parts(Bucket=bucket, Key="mp", UploadId=uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in parts], [(1, 4), (2, 4)])
        listed = self.s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
        self.assertEqual([(u["Key"], u["UploadId"]) for u in listed], [("mp", uid)])
        both = [{"PartNumber": 1, "ETag": small["ETag"]}, {"PartNumber": 2, "ETag": last["ETag"]}]
        self.assertClientError("EntityTooSmall", 400, self.s3.complete_multipart_upload, Bucket=bucket,
                               Key="mp", UploadId=uid, MultipartUpload={"Parts": both})
        self.assertClientError("InvalidPartOrder", 400, self.s3.complete_multipart_upload,
                               Bucket=bucket, Key="mp", UploadId=uid,
                               MultipartUpload={"Parts": list(reversed(both))})
        self.assertClientError("InvalidPart", 400, self.s3.complete_multipart_upload, Bucket=bucket,
                               Key="mp", UploadId=uid,
                               MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"00"'}]})
        big = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=1,
                                  Body=b"a" * (5 * MIB))
        done = self.s3.complete_multipart_upload(
            Bucket=bucket, Key="mp", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": big["ETag"]},
                                       {"PartNumber": 2, "ETag": last["ETag"]}]})
        self.assertRegex(done["ETag"], r'-2"$')
        got = self.s3.get_object(Bucket=bucket, Key="mp")
        self.assertEqual(got["ContentType"], "text/x")
        self.assertEqual(got["ContentLength"], 5 * MIB + 4)
        self.assertClientError("NoSuchUpload", 404, self.s3.list_parts, Bucket=bucket, Key="mp",
                               UploadId=uid)
        other = self.s3.create_multipart_upload(Bucket=bucket, Key="gone")["UploadId"]
        self.s3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=other)
        self.assertClientError("NoSuchUpload", 404, self.s3.abort_multipart_upload, Bucket=bucket,
                               Key="gone", UploadId=other)
        self.assertClientError("NoSuchUpload", 404, self.s3.upload_part, Bucket=bucket, Key="gone",
                               UploadId=other, PartNumber=1, Body=b"x")
        # If-None-Match: * on completion, as on PutObject.
        third = self.s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
        p = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=third, PartNumber=1, Body=b"x")
        self.assertClientError("PreconditionFailed", 412, self.s3.complete_multipart_upload,
                               Bucket=bucket, Key="mp", UploadId=third, IfNoneMatch="*",
                               MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})

    # --- presigned URLs and addressing ----------------------------------------------------

    def test_presigned_get_and_put_with_urllib(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="shared file.txt", Body=b"shared")
        # boto3 presigns S3 URLs with SigV2 unless told otherwise; lifeboat local speaks SigV4.
        signer = self.cloud.client("s3", signature_version="s3v4")
        url = signer.generate_presigned_url("get_object", Params={"Bucket": bucket,
                                                                   "Key": "shared file.txt"},
                                             ExpiresIn=300)
        with urllib.request.urlopen(url, timeout=10) as r:
            self.assertEqual(r.read(), b"shared")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url.replace("Signature=", "Signature=0"), timeout=10)
        self.assertEqual(caught.exception.code, 403)
        self.assertIn(b"SignatureDoesNotMatch", caught.exception.read())
        put_url = signer.generate_presigned_url("put_object", Params={"Bucket": bucket,
                                                                       "Key": "uploaded"},
                                                 ExpiresIn=300)
        req = urllib.request.Request(put_url, data=b"via presigned put", method="PUT")
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="uploaded")["Body"].read(),
                         b"via presigned put")

    def test_sigv2_is_refused_with_awss_unsupported_mechanism_error(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"v")
        v2_url = self.cloud.client("s3", signature_version="s3").generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=300)
        self.assertIn("AWSAccessKeyId=", v2_url)
        v2_header = urllib.request.Request(f"{self.cloud.url}/{bucket}/k",
                                           headers={"Authorization": "AWS test:c2lnbmF0dXJl"})
        for req in (v2_url, v2_header):
            with self.assertRaises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(req, timeout=10)
            self.assertEqual(caught.exception.code, 400)
            body = caught.exception.read()
            self.assertIn(b"<Code>InvalidRequest</Code>", body)
            self.assertIn(b"Please use AWS4-HMAC-SHA256", body)

    def test_virtual_hosted_addressing(self):
        bucket = self.new_bucket()
        # *.localhost need not resolve here: sign for the virtual host, connect to 127.0.0.1.
        host = f"{bucket}.s3.localhost:{self.cloud.port}"
        creds = botocore.credentials.Credentials("test", "test")
        for method, body in (("PUT", b"virtually hosted"), ("GET", None)):
            req = botocore.awsrequest.AWSRequest(method=method, url=f"http://{host}/v/key",
                                                 data=body or b"")
            req.headers["x-amz-content-sha256"] = hashlib.sha256(body or b"").hexdigest()
            botocore.auth.S3SigV4Auth(creds, "s3", REGION).add_auth(req)
            conn = http.client.HTTPConnection("127.0.0.1", self.cloud.port, timeout=10)
            headers = dict(req.headers.items())
            headers["Host"] = host  # what was signed; http.client would send 127.0.0.1
            conn.request(method, "/v/key", body=body, headers=headers)
            resp = conn.getresponse()
            got = resp.read()
            conn.close()
            self.assertEqual(resp.status, 200, got)
        self.assertEqual(got, b"virtually hosted")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="v/key")["Body"].read(),
                         b"virtually hosted")

    # --- lifeboat's own S3 client ---------------------------------------------------------

    def test_lifeboat_evacuate_verify_and_cat_against_local_s3(self):
        bucket = self.new_bucket()
        rng = random.Random(11)
        text = b"".join(b"GET /item/%d 200 %d\n" % (i, rng.randrange(10**6)) for i in range(200000))
        path = self.write("app.log", text)
        noise = self.write("noise.bin", rng.randbytes(24 * MIB))  # multipart, incompressible
        env = base_env(AWS_ENDPOINT_URL=self.cloud.url)
        location = f"s3://{bucket}/fleet/i-0123456789abcdef0"
        p = lifeboat("evacuate", "--to", f"s3://{bucket}/fleet", "--instance-id",
                     "i-0123456789abcdef0", path, noise, env=env)
        self.assertEqual(p.returncode, 0, p.stderr_text)
        v = lifeboat("verify", location, env=env)
        self.assertEqual(v.returncode, 0, v.stderr_text + v.stdout_text)
        c = lifeboat("cat", f"{location}{path}", env=env)
        self.assertEqual(c.returncode, 0, c.stderr_text)
        self.assertEqual(md5(c.stdout), md5(text))
        again = lifeboat("evacuate", "--to", f"s3://{bucket}/fleet", "--instance-id",
                         "i-0123456789abcdef0", path, noise, env=env)
        self.assertEqual(again.returncode, 0, again.stderr_text)


class LocalS3RestartTest(TempDirTestCase):
    def test_objects_written_before_sigkill_are_intact_after_restart(self):
        state = os.path.join(self.tmp, "state")
        cloud = LocalCloud(state)
        s3 = cloud.client("s3")
        s3.create_bucket(Bucket="durable")
        rng = random.Random(5)
        small = {f"k{i}": rng.randbytes(rng.randrange(1, 300000)) for i in range(20)}
        for key, data in small.items():
            s3.put_object(Bucket="durable", Key=key, Body=data, Metadata={"n": key})
        big = rng.randbytes(11 * MIB)
        s3.upload_fileobj(io.BytesIO(big), "durable", "multi",
                          Config=TransferConfig(multipart_threshold=MIB, multipart_chunksize=5 * MIB))
        pending = s3.create_multipart_upload(Bucket="durable", Key="pending")["UploadId"]
        part = s3.upload_part(Bucket="durable", Key="pending", UploadId=pending, PartNumber=1,
                              Body=b"p" * (5 * MIB))
        cloud.kill()
        # What a crash mid-PUT leaves behind: a temporary file that must never be served.
        with open(os.path.join(state, "s3", "durable", ".tmp", "crashed-write"), "wb") as f:
            f.write(b"half an object")

        cloud = LocalCloud(state, port=cloud.port)
        try:
            s3 = cloud.client("s3")
            self.assertIn("durable", [b["Name"] for b in s3.list_buckets()["Buckets"]])
            for key, data in small.items():
                got = s3.get_object(Bucket="durable", Key=key)
                self.assertEqual(md5(got["Body"].read()), md5(data), key)
                self.assertEqual(got["Metadata"], {"n": key})
            self.assertEqual(md5(s3.get_object(Bucket="durable", Key="multi")["Body"].read()), md5(big))
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket="durable")["Contents"]]
            self.assertEqual(sorted(keys), sorted(list(small) + ["multi"]))
            self.assertEqual(os.listdir(os.path.join(state, "s3", "durable", ".tmp")), [])
            # The unfinished upload carries on after the restart.
            last = s3.upload_part(Bucket="durable", Key="pending", UploadId=pending, PartNumber=2,
                                  Body=b"end")
            s3.complete_multipart_upload(
                Bucket="durable", Key="pending", UploadId=pending,
                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]},
                                           {"PartNumber": 2, "ETag": last["ETag"]}]})
            self.assertEqual(s3.head_object(Bucket="durable", Key="pending")["ContentLength"],
                             5 * MIB + 3)
        finally:
            cloud.stop()


if __name__ == "__main__":
    unittest.main()

import json
import boto3

ssm = boto3.client('ssm')

def lambda_handler(event, context):
    EC2InstanceId = event['detail']['EC2InstanceId']
    
    response = ssm.send_command(
        InstanceIds = [EC2InstanceId],
        DocumentName = "log-upload" #前工程で作成したSSM Documentの名前を指定する。
        )
    return

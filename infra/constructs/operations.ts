import { Duration } from "aws-cdk-lib";
import type { HttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Every alarm looks at 5-minute sums (or maxima) and fires on the first occurrence. */
const PERIOD = Duration.minutes(5);

export interface OperationsProps {
  /** An address subscribed to the alarm topic (it must confirm the subscription e-mail). */
  readonly alarmEmail?: string;
}

/**
 * Operations: the SNS topic every alarm notifies (encrypted with a customer-managed key that
 * CloudWatch may use: the AWS-managed `aws/sns` key does not let alarms publish), and the alarms:
 * errors and throttles of every function, 5xx of the API, messages in every dead-letter queue.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps = {}) {
    super(scope, id);
    const key = new Key(this, "AlarmTopicKey", {
      description: "One-stop reports: encrypts the alarm topic",
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new Topic(this, "AlarmTopic", {
      displayName: "One-stop reports alarms",
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
  }

  /** Errors and throttles of a function. */
  watchFunction(name: string, fn: IFunction): void {
    this.alarm(
      `${name}Errors`,
      `${name}: the function failed (errors > 0)`,
      fn.metricErrors({ period: PERIOD }),
    );
    this.alarm(
      `${name}Throttles`,
      `${name}: invocations were throttled (throttles > 0)`,
      fn.metricThrottles({ period: PERIOD }),
    );
  }

  /** 5xx answers of the HTTP API stage. */
  watchApi(stage: HttpStage): void {
    this.alarm(
      "Api5xx",
      "HTTP API: 5xx answers",
      stage.metricServerError({ period: PERIOD, statistic: "Sum" }),
    );
  }

  /** Messages waiting in a dead-letter queue: work that failed all its retries. */
  watchDeadLetterQueue(name: string, queue: IQueue): void {
    this.alarm(
      `${name}Depth`,
      `${name}: messages in the dead-letter queue`,
      queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: "Maximum" }),
    );
  }

  private alarm(id: string, description: string, metric: IMetric): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/audio.h"
#include "facet/error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <memory>
#include <mutex>

namespace facet {
namespace {

// Two hours of 16 kHz audio: longer files are refused before they fill memory.
constexpr size_t kMaxSamples = size_t(audio::kSampleRate) * 7200;

struct FormatCloser {
    void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
struct CodecFreer {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct ResamplerFreer {
    void operator()(SwrContext* s) const { swr_free(&s); }
};

} // namespace

std::vector<float> decodeAudio(const std::filesystem::path& path)
{
    static std::once_flag quiet;
    std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
    const std::string name = path.filename().string();
    const std::string unreadable = name + " is not audio Facet can read (WAV, FLAC, MP3, OGG/Opus or M4A).";
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0)
        throw Error(std::filesystem::exists(path) ? unreadable : name + " does not exist.");
    std::unique_ptr<AVFormatContext, FormatCloser> fmt(raw);
    if (avformat_find_stream_info(fmt.get(), nullptr) < 0)
        throw Error(unreadable);
    const int stream = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (stream < 0)
        throw Error(name + " has no sound in it.");
    // Say no before decoding hours of sound when the file states its length; the count
    // while decoding catches files that do not.
    const std::string tooLong = name + " is longer than two hours; Facet takes shorter clips.";
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > int64_t(kMaxSamples / audio::kSampleRate) * AV_TIME_BASE)
        throw Error(tooLong);
    const AVCodecParameters* par = fmt->streams[stream]->codecpar;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        throw Error(name + " uses an audio codec Facet cannot decode.");
    std::unique_ptr<AVCodecContext, CodecFreer> cc(avcodec_alloc_context3(codec));
    if (!cc || avcodec_parameters_to_context(cc.get(), par) < 0 || avcodec_open2(cc.get(), codec, nullptr) < 0)
        throw Error(name + " uses an audio codec Facet cannot decode.");

    SwrContext* swrRaw = nullptr;
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    if (swr_alloc_set_opts2(&swrRaw, &mono, AV_SAMPLE_FMT_FLT, int(audio::kSampleRate), &cc->ch_layout, cc->sample_fmt,
                            cc->sample_rate, 0, nullptr) < 0)
        throw Error(unreadable);
    std::unique_ptr<SwrContext, ResamplerFreer> swr(swrRaw);
    // The default downmix can exceed full scale (measured 1.19 on stereo); cap it at 1.
    av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
    if (swr_init(swr.get()) < 0)
        throw Error(unreadable);

    std::vector<float> out;
    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
    const auto convert = [&](const AVFrame* f) {
        const int capacity = swr_get_out_samples(swr.get(), f ? f->nb_samples : 0);
        if (capacity <= 0)
            return;
        const size_t at = out.size();
        out.resize(at + size_t(capacity));
        uint8_t* dst = reinterpret_cast<uint8_t*>(out.data() + at);
        const int got = swr_convert(swr.get(), &dst, capacity, f ? const_cast<const uint8_t**>(f->extended_data) : nullptr,
                                    f ? f->nb_samples : 0);
        out.resize(at + size_t(std::max(got, 0)));
        if (out.size() > kMaxSamples)
            throw Error(tooLong);
    };
    const auto drain = [&] {
        while (avcodec_receive_frame(cc.get(), frame.get()) >= 0) {
            convert(frame.get());
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(fmt.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream && avcodec_send_packet(cc.get(), packet.get()) >= 0)
            drain();
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(cc.get(), nullptr);
    drain();
    convert(nullptr); // what the resampler still holds
    if (out.empty())
        throw Error(name + " holds no sound: it decodes to zero samples.");
    return out;
}

} // namespace facet
